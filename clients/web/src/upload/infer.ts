import { DataType, Precision, type Field } from 'apache-arrow';
import type { ColumnSpec } from '../api/types';
import { columnNameFrom } from './detect';

/** RFC 4180 records from the start of a CSV file (the last, possibly cut, line is dropped). */
export function parseCsvHead(text: string, maxRecords = 1000, complete = false): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let index = 0;
  while (index < text.length && records.length < maxRecords) {
    const character = text[index] ?? '';
    if (quoted) {
      if (character === '"' && text[index + 1] === '"') {
        field += '"';
        index += 2;
        continue;
      }
      if (character === '"') quoted = false;
      else field += character;
      index += 1;
      continue;
    }
    if (character === '"' && field === '') quoted = true;
    else if (character === ',') {
      record.push(field);
      field = '';
    } else if (character === '\n' || character === '\r') {
      if (character === '\r' && text[index + 1] === '\n') index += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += character;
    index += 1;
  }
  if (complete && (field !== '' || record.length > 0) && records.length < maxRecords) {
    record.push(field);
    records.push(record);
  }
  return records.filter((entry) => !(entry.length === 1 && entry[0] === ''));
}

const integerPattern = /^[-+]?\d+$/;
const numberPattern = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const datePattern = /^\d{4}-\d{2}-\d{2}$/;
const zonedPattern = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
const naivePattern = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;
const int64Max = (1n << 63n) - 1n;

function fitsInt64(text: string): boolean {
  const value = BigInt(text);
  return value <= int64Max && value >= -int64Max - 1n;
}

/** The narrowest Quiver type every non-empty sample value fits. */
export function inferType(values: readonly string[]): string {
  const present = values.map((value) => value.trim()).filter((value) => value !== '');
  if (present.length === 0) return 'string';
  const all = (test: (value: string) => boolean) => present.every(test);
  if (all((value) => integerPattern.test(value) && fitsInt64(value))) return 'int64';
  if (all((value) => numberPattern.test(value))) return 'float64';
  if (all((value) => /^(true|false)$/i.test(value))) return 'boolean';
  if (all((value) => datePattern.test(value))) return 'date';
  if (all((value) => zonedPattern.test(value))) return 'timestamp(us, UTC)';
  if (all((value) => naivePattern.test(value))) return 'timestamp(us)';
  return 'string';
}

function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((name) => {
    const count = seen.get(name) ?? 0;
    seen.set(name, count + 1);
    return count === 0 ? name : `${name}_${count + 1}`;
  });
}

/** Columns of a CSV file from its header and first records; all nullable. */
export function inferCsvSchema(text: string, complete = false): ColumnSpec[] {
  const [header, ...records] = parseCsvHead(text, 1001, complete);
  if (!header) return [];
  const names = uniqueNames(header.map((name, index) => columnNameFrom(name, index)));
  return names.map((name, index) => ({
    name,
    type: inferType(records.map((record) => record[index] ?? '')),
    required: false,
  }));
}

function jsonValueText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return '\u0000object';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}

/** Columns of an NDJSON file from its first objects, in first-seen order. */
export function inferNdjsonSchema(text: string, complete = false): ColumnSpec[] {
  const lines = text.split(/\r?\n/);
  if (!complete) lines.pop();
  const values = new Map<string, string[]>();
  for (const line of lines.slice(0, 1000)) {
    if (line.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) continue;
    for (const [key, value] of Object.entries(parsed)) {
      const list = values.get(key) ?? [];
      list.push(jsonValueText(value));
      values.set(key, list);
    }
  }
  return [...values.entries()].map(([name, list]) => ({
    name,
    type: list.some((value) => value === '\u0000object') ? 'string' : inferType(list),
    required: false,
  }));
}

const unitNames = ['s', 'ms', 'us', 'ns'];

/** The Quiver type for an Arrow type (as a schema read from an Arrow file declares it). */
export function arrowTypeToQuiver(type: DataType): string {
  if (DataType.isDictionary(type)) return arrowTypeToQuiver(type.dictionary as DataType);
  if (DataType.isBool(type)) return 'boolean';
  if (DataType.isInt(type)) return `${type.isSigned ? 'int' : 'uint'}${type.bitWidth}`;
  if (DataType.isFloat(type)) return type.precision === Precision.DOUBLE ? 'float64' : 'float32';
  if (DataType.isDecimal(type)) return `decimal(${type.precision}, ${type.scale})`;
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isUtf8View(type)) return 'string';
  if (
    DataType.isBinary(type) ||
    DataType.isLargeBinary(type) ||
    DataType.isFixedSizeBinary(type) ||
    DataType.isBinaryView(type)
  )
    return 'binary';
  if (DataType.isDate(type)) return 'date';
  if (DataType.isTime(type)) return 'time';
  if (DataType.isTimestamp(type)) {
    const unit = unitNames[type.unit] ?? 'us';
    return type.timezone ? `timestamp(${unit}, ${type.timezone})` : `timestamp(${unit})`;
  }
  if (DataType.isDuration(type)) return `duration(${unitNames[type.unit] ?? 'us'})`;
  if (DataType.isList(type) || DataType.isLargeList(type) || DataType.isFixedSizeList(type)) {
    const child = type.children[0] as Field | undefined;
    return `list<${child ? arrowTypeToQuiver(child.type as DataType) : 'string'}>`;
  }
  if (DataType.isStruct(type)) {
    return `struct<${type.children.map((child) => `${child.name}: ${arrowTypeToQuiver(child.type as DataType)}`).join(', ')}>`;
  }
  return 'string';
}

export function arrowFieldsToColumns(fields: readonly Field[]): ColumnSpec[] {
  return fields.map((field) => ({
    name: field.name,
    type: arrowTypeToQuiver(field.type as DataType),
    required: !field.nullable,
  }));
}

/** The parts of a Parquet schema element this mapping reads (hyparquet's SchemaElement). */
export interface ParquetElement {
  name: string;
  type?: string;
  repetition_type?: string;
  converted_type?: string;
  precision?: number;
  scale?: number;
  logical_type?: {
    type: string;
    bitWidth?: number;
    isSigned?: boolean;
    unit?: string;
    isAdjustedToUTC?: boolean;
    precision?: number;
    scale?: number;
  };
}

export interface ParquetNode {
  element: ParquetElement;
  children: ParquetNode[];
}

const parquetUnits: Record<string, string> = { MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' };

function parquetLeafType(element: ParquetElement): string {
  const logical = element.logical_type;
  const converted = element.converted_type ?? '';
  if (logical?.type === 'DECIMAL' || converted === 'DECIMAL') {
    return `decimal(${logical?.precision ?? element.precision ?? 38}, ${logical?.scale ?? element.scale ?? 0})`;
  }
  switch (element.type) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64': {
      if (logical?.type === 'DATE' || converted === 'DATE') return 'date';
      if (logical?.type === 'TIME' || converted.startsWith('TIME_')) return 'time';
      if (logical?.type === 'TIMESTAMP') {
        const unit = parquetUnits[logical.unit ?? 'MICROS'] ?? 'us';
        return logical.isAdjustedToUTC ? `timestamp(${unit}, UTC)` : `timestamp(${unit})`;
      }
      if (converted === 'TIMESTAMP_MILLIS') return 'timestamp(ms, UTC)';
      if (converted === 'TIMESTAMP_MICROS') return 'timestamp(us, UTC)';
      if (logical?.type === 'INTEGER') return `${logical.isSigned === false ? 'uint' : 'int'}${logical.bitWidth ?? 64}`;
      const convertedInteger = /^(U?INT)_(8|16|32|64)$/.exec(converted);
      if (convertedInteger) return `${convertedInteger[1] === 'UINT' ? 'uint' : 'int'}${convertedInteger[2] ?? '64'}`;
      return element.type === 'INT32' ? 'int32' : 'int64';
    }
    case 'INT96':
      return 'timestamp(ns)';
    case 'FLOAT':
      return 'float32';
    case 'DOUBLE':
      return 'float64';
    case 'BYTE_ARRAY':
      if (['STRING', 'ENUM', 'JSON'].includes(logical?.type ?? '') || ['UTF8', 'ENUM', 'JSON'].includes(converted))
        return 'string';
      return 'binary';
    default:
      return 'binary';
  }
}

export function parquetNodeType(node: ParquetNode): string {
  const { element, children } = node;
  if (children.length === 0) {
    const leaf = parquetLeafType(element);
    return element.repetition_type === 'REPEATED' ? `list<${leaf}>` : leaf;
  }
  const isList = element.logical_type?.type === 'LIST' || element.converted_type === 'LIST';
  if (isList) {
    const repeated = children[0];
    const item = repeated && repeated.children.length === 1 ? repeated.children[0] : repeated;
    if (item === repeated && repeated && repeated.children.length === 0)
      return `list<${parquetLeafType(repeated.element)}>`;
    return `list<${item ? parquetNodeType(item) : 'string'}>`;
  }
  return `struct<${children.map((child) => `${child.element.name}: ${parquetNodeType(child)}`).join(', ')}>`;
}

/** Columns of a Parquet file from its schema tree's root. */
export function parquetColumns(root: ParquetNode): ColumnSpec[] {
  return root.children.map((child) => ({
    name: child.element.name,
    type: parquetNodeType(child),
    required: child.element.repetition_type === 'REQUIRED',
  }));
}
