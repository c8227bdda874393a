import type { ColumnSpec } from '../api/types';
import { integerRange, typeKind, type TypeKind } from './columnTypes';

/** A filter value as sent to the server (bigint for integers, exact). */
export type Scalar = string | number | boolean | bigint;

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** The server's filter tree (docs/openapi.yaml, Filter). */
export type FilterNode =
  | { op: 'and' | 'or'; args: FilterNode[] }
  | { op: 'not'; arg: FilterNode }
  | { op: ComparisonOp; column: string; value: Scalar }
  | { op: 'in'; column: string; values: Scalar[] }
  | { op: 'between'; column: string; low: Scalar; high: Scalar }
  | { op: 'is_null'; column: string }
  | { op: 'starts_with' | 'contains'; column: string; value: string };

/** What the user typed into a column's filter box. */
export interface ColumnFilter {
  column: string;
  text: string;
}

export type ParseResult = { ok: true; node: FilterNode | null } | { ok: false; error: string };

/**
 * The filter box syntax, one expression per column:
 *   null, !null            is null / is not null
 *   =x !=x <x <=x >x >=x   comparisons
 *   a..b                   between (inclusive)
 *   a, b, c                one of (in)
 *   ^abc                   starts with (text)
 *   ~abc                   contains (text)
 *   abc                    contains for text columns, = for the others
 * Values may be double-quoted to keep their spaces, commas or leading symbols.
 */
export const filterSyntaxHelp =
  'null · !null · =x · !=x · <x · <=x · >x · >=x · a..b · a, b, c · ^prefix · ~text · "quoted"';

export function filterPlaceholder(declared: string): string {
  switch (typeKind(declared)) {
    case 'string':
      return 'contains… (^, =, a,b)';
    case 'boolean':
      return 'true / false';
    case 'timestamp':
      return '>2024-01-02 or a..b';
    case 'binary':
    case 'nested':
      return 'null / !null';
    default:
      return '>10, a..b, =x';
  }
}

function unquote(text: string): string {
  const trimmed = text.trim();
  if (trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"')) {
    return trimmed.slice(1, -1).replace(/""/g, '"');
  }
  return trimmed;
}

/** Splits on commas outside double quotes. */
function splitList(text: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const character of text) {
    if (character === '"') quoted = !quoted;
    if (character === ',' && !quoted) {
      parts.push(current);
      current = '';
      continue;
    }
    current += character;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part.length > 0);
}

function outsideQuotes(text: string, needle: string): number {
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === '"') quoted = !quoted;
    if (!quoted && text.startsWith(needle, index)) return index;
  }
  return -1;
}

const timestampPattern = /^\d{4}-\d{2}-\d{2}([T ]\d{2}(:\d{2}(:\d{2}(\.\d{1,9})?)?)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/i;

/** Turns typed text into a value of the column's type, or says why it cannot. */
export function parseScalar(text: string, declared: string): { value: Scalar } | { error: string } {
  const raw = unquote(text);
  const kind: TypeKind = typeKind(declared);
  switch (kind) {
    case 'integer': {
      if (!/^[-+]?\d+$/.test(raw)) return { error: `"${raw}" is not an integer` };
      const value = BigInt(raw);
      const [low, high] = integerRange(declared);
      if (value < low || value > high) return { error: `${raw} does not fit ${declared}` };
      return { value };
    }
    case 'float': {
      const value = Number(raw);
      if (raw === '' || !Number.isFinite(value)) return { error: `"${raw}" is not a number` };
      return { value };
    }
    case 'decimal': {
      if (!/^[-+]?(\d+\.?\d*|\.\d+)$/.test(raw)) return { error: `"${raw}" is not a decimal number` };
      return { value: Number(raw) };
    }
    case 'boolean': {
      const lowered = raw.toLowerCase();
      if (lowered === 'true' || lowered === 'yes' || lowered === '1') return { value: true };
      if (lowered === 'false' || lowered === 'no' || lowered === '0') return { value: false };
      return { error: `"${raw}" is not true or false` };
    }
    case 'timestamp':
    case 'date': {
      if (!timestampPattern.test(raw)) return { error: `"${raw}" is not a date or time (YYYY-MM-DD[THH:MM:SS][Z])` };
      return { value: raw.replace(' ', 'T') };
    }
    case 'time': {
      if (!/^\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?$/.test(raw)) return { error: `"${raw}" is not a time (HH:MM:SS)` };
      return { value: raw };
    }
    default:
      return { value: raw };
  }
}

/** Parses one column's filter box into a filter node (null when the box is empty). */
export function parseColumnFilter(text: string, column: ColumnSpec): ParseResult {
  const input = text.trim();
  if (input === '') return { ok: true, node: null };
  const name = column.name;
  const lowered = input.toLowerCase();
  if (lowered === 'null') return { ok: true, node: { op: 'is_null', column: name } };
  if (lowered === '!null' || lowered === 'not null') {
    return { ok: true, node: { op: 'not', arg: { op: 'is_null', column: name } } };
  }
  const kind = typeKind(column.type);
  if (kind === 'binary' || kind === 'nested') {
    return { ok: false, error: 'only null and !null filter this column' };
  }
  const fail = (error: string): ParseResult => ({ ok: false, error });

  const comparison = /^(<=|>=|!=|=|<|>)(.*)$/s.exec(input);
  if (comparison) {
    const op = comparison[1] as ComparisonOp;
    const parsed = parseScalar(comparison[2] ?? '', column.type);
    if ('error' in parsed) return fail(parsed.error);
    return { ok: true, node: { op, column: name, value: parsed.value } };
  }
  if (kind === 'string' && (input.startsWith('^') || input.startsWith('~'))) {
    const value = unquote(input.slice(1));
    if (value === '') return fail(`type some text after ${input.charAt(0)}`);
    return { ok: true, node: { op: input.startsWith('^') ? 'starts_with' : 'contains', column: name, value } };
  }
  const range = outsideQuotes(input, '..');
  if (range > 0 && kind !== 'string') {
    const parsed = [input.slice(0, range), input.slice(range + 2)].map((part) => parseScalar(part, column.type));
    for (const part of parsed) if ('error' in part) return fail(part.error);
    const [low, high] = parsed as { value: Scalar }[];
    if (!low || !high) return fail('expected a..b');
    return { ok: true, node: { op: 'between', column: name, low: low.value, high: high.value } };
  }
  if (outsideQuotes(input, ',') >= 0) {
    const values: Scalar[] = [];
    for (const part of splitList(input)) {
      const parsed = parseScalar(part, column.type);
      if ('error' in parsed) return fail(parsed.error);
      values.push(parsed.value);
    }
    if (values.length === 0) return fail('expected values separated by commas');
    return { ok: true, node: { op: 'in', column: name, values } };
  }
  if (kind === 'string') return { ok: true, node: { op: 'contains', column: name, value: unquote(input) } };
  const parsed = parseScalar(input, column.type);
  if ('error' in parsed) return fail(parsed.error);
  return { ok: true, node: { op: '=', column: name, value: parsed.value } };
}

export interface BuiltFilter {
  filter: FilterNode | undefined;
  errors: Map<string, string>;
}

/** Combines every column's filter box with "and"; columns with errors are left out and reported. */
export function buildFilter(filters: readonly ColumnFilter[], columns: readonly ColumnSpec[]): BuiltFilter {
  const nodes: FilterNode[] = [];
  const errors = new Map<string, string>();
  for (const entry of filters) {
    const column = columns.find((candidate) => candidate.name === entry.column);
    if (!column) {
      errors.set(entry.column, 'no such column');
      continue;
    }
    const parsed = parseColumnFilter(entry.text, column);
    if (!parsed.ok) {
      errors.set(entry.column, parsed.error);
      continue;
    }
    if (parsed.node) nodes.push(parsed.node);
  }
  const filter = nodes.length === 0 ? undefined : nodes.length === 1 ? nodes[0] : { op: 'and' as const, args: nodes };
  return { filter, errors };
}
