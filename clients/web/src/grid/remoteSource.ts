import type { Table } from 'apache-arrow';
import { ColumnCells } from '../arrow/columns';
import { Notifier, type RowSource } from './rowSource';

/** Fetches rows offset..offset+limit-1 of the current view as an Arrow table. */
export type PageFetcher = (offset: number, limit: number, signal: AbortSignal) => Promise<Table>;

export interface RemoteSourceOptions {
  columnNames: readonly string[];
  /** Known row count (null until a count query answers). */
  rowCount: number | null;
  fetchPage: PageFetcher;
  /** Rows per page (one request each). */
  pageRows?: number;
  /** Pages kept in memory (least recently wanted are dropped first). */
  maxPages?: number;
  /** Requests at once. */
  concurrency?: number;
  /** Requests start at most this often while the view keeps moving. */
  throttleMs?: number;
  /** Wait before asking again for a page that failed. */
  retryMs?: number;
  onError?: (error: unknown) => void;
}

interface Page {
  offset: number;
  length: number;
  columns: (ColumnCells | undefined)[];
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/**
 * Rows from the server in fixed-size pages (offset windows), fetched when the grid
 * wants them: the visible pages first, then one neighbour on each side; requests for
 * pages scrolled past are aborted; an LRU cache keeps recent pages.
 */
export class RemoteRowSource implements RowSource {
  readonly columnNames: readonly string[];
  readonly pageRows: number;
  private count: number | null;
  private readonly options: Required<Omit<RemoteSourceOptions, 'rowCount' | 'onError'>> &
    Pick<RemoteSourceOptions, 'onError'>;
  private readonly pages = new Map<number, Page>();
  private readonly inFlight = new Map<number, AbortController>();
  private readonly failedAt = new Map<number, number>();
  private readonly notifier = new Notifier();
  private wanted: number[] = [];
  private wantedKey = '';
  private visibleCount = 0;
  private lastPump = -Infinity;
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Requests made so far (for tests and the status bar). */
  requests = 0;
  private loadedEnd = 0;
  lastError: unknown = null;

  constructor(options: RemoteSourceOptions) {
    this.columnNames = options.columnNames;
    this.count = options.rowCount;
    this.pageRows = options.pageRows ?? 1000;
    this.options = {
      columnNames: options.columnNames,
      fetchPage: options.fetchPage,
      pageRows: this.pageRows,
      maxPages: options.maxPages ?? 64,
      concurrency: options.concurrency ?? 2,
      throttleMs: options.throttleMs ?? 40,
      retryMs: options.retryMs ?? 2000,
      onError: options.onError,
    };
  }

  /** The counted rows; before the count answers, the rows seen so far (null if none). */
  get rowCount(): number | null {
    if (this.count !== null) return this.count;
    return this.loadedEnd > 0 ? this.loadedEnd : null;
  }

  /** Whether rowCount is the real count rather than a lower bound. */
  get counted(): boolean {
    return this.count !== null;
  }

  get version(): number {
    return this.notifier.version;
  }

  get loading(): boolean {
    return this.inFlight.size > 0;
  }

  get cachedPages(): number {
    return this.pages.size;
  }

  setRowCount(count: number): void {
    if (this.count === count) return;
    this.count = count;
    this.notifier.notify();
  }

  subscribe(listener: () => void): () => void {
    return this.notifier.subscribe(listener);
  }

  cell(row: number, column: number): string | null | undefined {
    const page = this.pages.get(Math.floor(row / this.pageRows));
    if (!page) return undefined;
    const local = row - page.offset;
    if (local >= page.length) return '';
    const cells = page.columns[column];
    return cells ? cells.text(local) : '';
  }

  /** Whether the row's page is in memory. */
  hasRow(row: number): boolean {
    return this.pages.has(Math.floor(row / this.pageRows));
  }

  /** Whether the last request for the row's page failed. */
  failed(row: number): boolean {
    return this.failedAt.has(Math.floor(row / this.pageRows));
  }

  want(first: number, last: number): void {
    const lastRow = this.count === null ? last : Math.min(last, this.count - 1);
    if (lastRow < first) return;
    const firstPage = Math.floor(first / this.pageRows);
    const lastPage = Math.floor(lastRow / this.pageRows);
    const pages: number[] = [];
    for (let page = firstPage; page <= lastPage; page += 1) pages.push(page);
    const lastAvailable = this.count === null ? Infinity : Math.ceil(this.count / this.pageRows) - 1;
    if (lastPage + 1 <= lastAvailable) pages.push(lastPage + 1);
    if (firstPage - 1 >= 0) pages.push(firstPage - 1);
    const key = pages.join(',');
    if (key === this.wantedKey && this.pagesSettled()) return;
    this.wantedKey = key;
    this.wanted = pages;
    this.visibleCount = lastPage - firstPage + 1;
    for (const page of pages) this.touch(page);
    this.schedule();
  }

  private pagesSettled(): boolean {
    return this.wanted.every((page) => this.pages.has(page) || this.inFlight.has(page) || this.failedRecently(page));
  }

  private failedRecently(page: number): boolean {
    const failed = this.failedAt.get(page);
    return failed !== undefined && performance.now() - failed < this.options.retryMs;
  }

  private touch(page: number): void {
    const cached = this.pages.get(page);
    if (!cached) return;
    this.pages.delete(page);
    this.pages.set(page, cached);
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastPump + this.options.throttleMs - performance.now());
    if (wait === 0) {
      this.pump();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.pump();
    }, wait);
  }

  private pump(): void {
    this.lastPump = performance.now();
    const wanted = new Set(this.wanted);
    for (const [page, controller] of this.inFlight) {
      if (!wanted.has(page)) {
        controller.abort();
        this.inFlight.delete(page);
      }
    }
    // Neighbours are prefetched only once the visible pages are in: on a busy server
    // they would otherwise share its cores with the rows the user is waiting for.
    const visible = this.wanted.slice(0, this.visibleCount);
    const visibleReady = visible.every((page) => this.pages.has(page) || this.failedRecently(page));
    for (const page of visibleReady ? this.wanted : visible) {
      if (this.inFlight.size >= this.options.concurrency) break;
      if (this.pages.has(page) || this.inFlight.has(page) || this.failedRecently(page)) continue;
      this.load(page);
    }
  }

  private load(page: number): void {
    const controller = new AbortController();
    this.inFlight.set(page, controller);
    this.requests += 1;
    const offset = page * this.pageRows;
    this.options
      .fetchPage(offset, this.pageRows, controller.signal)
      .then((table) => {
        if (this.inFlight.get(page) !== controller) return;
        this.inFlight.delete(page);
        this.failedAt.delete(page);
        this.store(page, offset, table);
        this.loadedEnd = Math.max(this.loadedEnd, offset + table.numRows);
        if (this.count === null && table.numRows < this.pageRows) this.count = offset + table.numRows;
        this.notifier.notify();
      })
      .catch((error: unknown) => {
        if (this.inFlight.get(page) === controller) this.inFlight.delete(page);
        if (isAbort(error)) return;
        this.failedAt.set(page, performance.now());
        this.lastError = error;
        this.options.onError?.(error);
        this.notifier.notify();
      })
      .finally(() => {
        if (this.inFlight.size > 0 || this.wanted.length > 0) this.schedule();
      });
  }

  private store(page: number, offset: number, table: Table): void {
    const byName = new Map(table.schema.fields.map((field, index) => [field.name, index]));
    const columns = this.columnNames.map((name) => {
      const index = byName.get(name);
      const vector = index === undefined ? null : table.getChildAt(index);
      return vector ? new ColumnCells(vector) : undefined;
    });
    this.pages.set(page, { offset, length: table.numRows, columns });
    const keep = new Set(this.wanted);
    for (const cached of this.pages.keys()) {
      if (this.pages.size <= this.options.maxPages) break;
      if (!keep.has(cached)) this.pages.delete(cached);
    }
  }

  /** Aborts every request and forgets what was wanted; a later want() starts again. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    for (const controller of this.inFlight.values()) controller.abort();
    this.inFlight.clear();
    this.wanted = [];
    this.wantedKey = '';
  }
}
