import type { ColumnFilter, FilterNode } from './filter';
import { toJsonText } from './json';

/** One sort key of the grid, in priority order. */
export interface SortKey {
  column: string;
  descending: boolean;
}

/** A reproducible sample: a row count or a fraction of the filtered rows, with a seed. */
export interface SampleSpec {
  kind: 'rows' | 'fraction';
  amount: number;
  seed: number;
}

/** Everything the user set on a dataset's view; it round-trips through the page URL. */
export interface ViewState {
  filters: ColumnFilter[];
  sort: SortKey[];
  sample: SampleSpec | null;
}

export const emptyView: ViewState = { filters: [], sort: [], sample: null };

export type AggregateFunction = 'count' | 'count_distinct' | 'sum' | 'mean' | 'min' | 'max' | 'stddev' | 'quantile';

export interface Aggregate {
  function: AggregateFunction;
  column?: string;
  as?: string;
  q?: number;
}

/** Time buckets ("every": 1h) or numeric bins ("width" from "origin"). */
export type Bucket =
  { column: string; every: string; as?: string } | { column: string; width: number; origin?: number; as?: string };

/** The JSON body of POST /query. */
export interface QueryBody {
  select?: string[];
  filter?: FilterNode;
  group_by?: string[];
  aggregates?: Aggregate[];
  bucket?: Bucket;
  order_by?: string;
  limit?: number;
  offset?: number;
  distinct?: boolean;
  sample?: { rows: number; seed: number } | { fraction: number; seed: number };
}

export type DownloadFormat = 'arrow' | 'parquet' | 'csv' | 'arrow-file' | 'json' | 'ndjson';

/**
 * The order of the grid's pages and of whole reads (downloads, reads into the
 * browser): the user's keys and then the primary key as a tie-breaker (`-value,id`),
 * so pages never overlap or skip rows; none without sort keys. Unsorted, every read
 * is in insertion order: the server's offset windows and cursor pages share it, and
 * it finds a window by the rows' stored positions instead of sorting the table for
 * each page (10M rows: ~1 ms instead of ~0.6 s for a page at row 1,000,000).
 */
export function orderByText(sort: readonly SortKey[], primaryKey: readonly string[] | null): string | undefined {
  if (sort.length === 0) return undefined;
  const keys = sort.map((key) => (key.descending ? `-${key.column}` : key.column));
  for (const column of primaryKey ?? []) {
    if (!sort.some((key) => key.column === column)) keys.push(column);
  }
  return keys.join(',');
}

/** Cycles a header click: ascending, descending, off. Shift keeps the other keys. */
export function toggleSort(sort: readonly SortKey[], column: string, keepOthers: boolean): SortKey[] {
  const current = sort.find((key) => key.column === column);
  const others = keepOthers ? sort.filter((key) => key.column !== column) : [];
  if (!current) return [...others, { column, descending: false }];
  if (!current.descending) {
    return keepOthers
      ? sort.map((key) => (key.column === column ? { column, descending: true } : key))
      : [{ column, descending: true }];
  }
  return others;
}

/** A fraction as plain decimal text (never 1e-7), so the server reads it as a fraction. */
export function fractionText(fraction: number): string {
  const text = fraction.toFixed(12).replace(/0+$/, '');
  return text.endsWith('.') ? `${text}0` : text;
}

export function sampleBody(sample: SampleSpec | null): QueryBody['sample'] | undefined {
  if (!sample) return undefined;
  return sample.kind === 'rows'
    ? { rows: Math.max(0, Math.round(sample.amount)), seed: sample.seed }
    : { fraction: sample.amount, seed: sample.seed };
}

export interface RowsRequest {
  columns?: readonly string[];
  filter?: FilterNode | undefined;
  orderBy?: string | undefined;
  sample?: SampleSpec | null;
  offset?: number;
  limit?: number;
  format?: DownloadFormat;
}

/** Query parameters of GET /datasets/{name}/rows. */
export function rowsParams(request: RowsRequest): URLSearchParams {
  const params = new URLSearchParams();
  if (request.columns && request.columns.length > 0) params.set('columns', request.columns.join(','));
  if (request.filter) params.set('filter', toJsonText(request.filter));
  if (request.orderBy) params.set('order_by', request.orderBy);
  if (request.sample) {
    const { kind, amount, seed } = request.sample;
    params.set('sample', kind === 'rows' ? String(Math.max(0, Math.round(amount))) : fractionText(amount));
    params.set('seed', String(seed));
  }
  if (request.limit !== undefined) params.set('limit', String(request.limit));
  if (request.offset !== undefined && request.offset > 0) params.set('offset', String(request.offset));
  if (request.format && request.format !== 'arrow') params.set('format', request.format);
  return params;
}

export function datasetPath(dataset: string): string {
  return `/api/v1/datasets/${encodeURIComponent(dataset)}`;
}

export function rowsUrl(dataset: string, request: RowsRequest): string {
  const query = rowsParams(request).toString();
  return `${datasetPath(dataset)}/rows${query ? `?${query}` : ''}`;
}

/** POST /query body counting the rows of the current view. */
export function countBody(filter: FilterNode | undefined, sample: SampleSpec | null): QueryBody {
  const body: QueryBody = { aggregates: [{ function: 'count', as: 'row_count' }] };
  if (filter) body.filter = filter;
  const sampled = sampleBody(sample);
  if (sampled) body.sample = sampled;
  return body;
}

/** Adds the view's filter and sample to a query body. */
export function withView(body: QueryBody, filter: FilterNode | undefined, sample: SampleSpec | null): QueryBody {
  const result: QueryBody = { ...body };
  if (filter) result.filter = filter;
  const sampled = sampleBody(sample);
  if (sampled) result.sample = sampled;
  return result;
}

const sortParameter = 'sort';
const sampleParameter = 'sample';
const seedParameter = 'seed';
const filterPrefix = 'f.';

/** The view as URL search parameters: f.<column>=text, sort=-value,id, sample=1000, seed=42. */
export function viewToSearch(view: ViewState): string {
  const params = new URLSearchParams();
  for (const filter of view.filters) {
    if (filter.text.trim() !== '') params.set(`${filterPrefix}${filter.column}`, filter.text);
  }
  if (view.sort.length > 0) {
    params.set(sortParameter, view.sort.map((key) => (key.descending ? `-${key.column}` : key.column)).join(','));
  }
  if (view.sample) {
    params.set(
      sampleParameter,
      view.sample.kind === 'rows' ? String(view.sample.amount) : fractionText(view.sample.amount),
    );
    params.set(seedParameter, String(view.sample.seed));
  }
  return params.toString();
}

export function viewFromSearch(search: string): ViewState {
  const params = new URLSearchParams(search);
  const filters: ColumnFilter[] = [];
  for (const [key, value] of params) {
    if (key.startsWith(filterPrefix) && value.trim() !== '')
      filters.push({ column: key.slice(filterPrefix.length), text: value });
  }
  const sort: SortKey[] = (params.get(sortParameter) ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== '-')
    .map((part) =>
      part.startsWith('-') ? { column: part.slice(1), descending: true } : { column: part, descending: false },
    );
  let sample: SampleSpec | null = null;
  const sampleText = params.get(sampleParameter);
  const amount = Number(sampleText);
  if (sampleText && Number.isFinite(amount) && amount > 0) {
    const seed = Number(params.get(seedParameter) ?? '0');
    const isFraction = sampleText.includes('.') && amount <= 1;
    sample = { kind: isFraction ? 'fraction' : 'rows', amount, seed: Number.isFinite(seed) ? Math.trunc(seed) : 0 };
  }
  return { filters, sort, sample };
}
