/** Where the grid's cells come from: server windows, or a stream read into the browser. */
export interface RowSource {
  /** Rows in the result, or null while still unknown. */
  readonly rowCount: number | null;
  /** Column names, in display order. */
  readonly columnNames: readonly string[];
  /** Text of a cell: a string, null for a SQL null, undefined while it is loading. */
  cell(row: number, column: number): string | null | undefined;
  /** Asks for rows first..last (inclusive) to be loaded; cheap to call on every frame. */
  want(first: number, last: number): void;
  /** Called after anything the grid shows changed. Returns an unsubscribe function. */
  subscribe(listener: () => void): () => void;
  /** A number that changes whenever cells or counts change. */
  readonly version: number;
  /** Stops network activity (requests are aborted); a later want() may start again. */
  stop(): void;
}

/** A small helper for sources: listeners plus a version counter. */
export class Notifier {
  private readonly listeners = new Set<() => void>();
  version = 0;

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  notify(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }

  clear(): void {
    this.listeners.clear();
  }
}
