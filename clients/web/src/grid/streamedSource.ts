import type { RecordBatch } from 'apache-arrow';
import { ColumnCells } from '../arrow/columns';
import { Notifier, type RowSource } from './rowSource';

/** Rows read into the browser by one streamed request, growing as batches arrive. */
export class StreamedRowSource implements RowSource {
  readonly columnNames: readonly string[];
  private readonly batches: (ColumnCells | undefined)[][] = [];
  private readonly starts: number[] = [];
  private readonly notifier = new Notifier();
  private rows = 0;
  private pendingNotify = false;

  constructor(columnNames: readonly string[]) {
    this.columnNames = columnNames;
  }

  get rowCount(): number {
    return this.rows;
  }

  get version(): number {
    return this.notifier.version;
  }

  append(batch: RecordBatch): void {
    const byName = new Map(batch.schema.fields.map((field, index) => [field.name, index]));
    this.batches.push(
      this.columnNames.map((name) => {
        const index = byName.get(name);
        const vector = index === undefined ? null : batch.getChildAt(index);
        return vector ? new ColumnCells(vector) : undefined;
      }),
    );
    this.starts.push(this.rows);
    this.rows += batch.numRows;
    this.scheduleNotify();
  }

  /** Coalesces bursts of batches into one repaint per frame. */
  private scheduleNotify(): void {
    if (this.pendingNotify) return;
    this.pendingNotify = true;
    const flush = () => {
      this.pendingNotify = false;
      this.notifier.notify();
    };
    if (typeof requestAnimationFrame === 'function') requestAnimationFrame(flush);
    else setTimeout(flush, 0);
  }

  cell(row: number, column: number): string | null | undefined {
    if (row < 0 || row >= this.rows) return undefined;
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= row) low = middle;
      else high = middle - 1;
    }
    const cells = this.batches[low]?.[column];
    return cells ? cells.text(row - (this.starts[low] ?? 0)) : '';
  }

  want(): void {
    // Everything is already here or on its way.
  }

  subscribe(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
  }

  stop(): void {
    // The read that fills this source is stopped by its owner (useStreamRead).
  }
}
