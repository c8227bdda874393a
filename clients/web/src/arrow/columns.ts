import { DataType, DateUnit, Vector, makeVector, type Data, type Table } from 'apache-arrow';
import {
  bigintFromWords,
  formatBinary,
  formatDateDays,
  formatDecimal,
  formatDuration,
  formatFloat,
  formatInteger,
  formatNested,
  formatTimeOfDay,
  formatTimestamp,
  type TimeUnitIndex,
} from './format';

type Reader<T> = (data: Data, chunk: Vector, index: number) => T;

function asBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  return 0n;
}

function rawValue(data: Data, index: number): unknown {
  const values = data.values as ArrayLike<unknown> | undefined;
  return values?.[index];
}

function decimalUnscaled(data: Data, index: number): bigint {
  const stride = data.stride;
  const values = data.values as Uint32Array;
  return bigintFromWords(values.subarray(stride * index, stride * (index + 1)));
}

/** Exact text for one type, reading Arrow buffers directly where get() would round. */
function textReader(type: DataType): Reader<string> {
  if (DataType.isTimestamp(type)) {
    const unit = type.unit as TimeUnitIndex;
    const zone = type.timezone ?? null;
    return (data, _chunk, index) => formatTimestamp(asBigint(rawValue(data, index)), unit, zone);
  }
  if (DataType.isDecimal(type)) {
    const scale = type.scale;
    return (data, _chunk, index) => formatDecimal(decimalUnscaled(data, index), scale);
  }
  if (DataType.isDate(type)) {
    const inDays = type.unit === DateUnit.DAY;
    return (data, _chunk, index) => {
      const raw = rawValue(data, index);
      const days = inDays ? Number(raw) : Math.floor(Number(asBigint(raw)) / 86_400_000);
      return formatDateDays(days);
    };
  }
  if (DataType.isTime(type)) {
    const unit = type.unit as TimeUnitIndex;
    return (data, _chunk, index) => formatTimeOfDay(asBigint(rawValue(data, index)), unit);
  }
  if (DataType.isDuration(type)) {
    const unit = type.unit as TimeUnitIndex;
    return (data, _chunk, index) => formatDuration(asBigint(rawValue(data, index)), unit);
  }
  if (DataType.isInt(type)) {
    return (_data, chunk, index) => formatInteger(chunk.get(index) as number | bigint);
  }
  if (DataType.isFloat(type)) return (_data, chunk, index) => formatFloat(chunk.get(index) as number);
  if (DataType.isBool(type)) return (_data, chunk, index) => (chunk.get(index) ? 'true' : 'false');
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type) || DataType.isUtf8View(type)) {
    return (_data, chunk, index) => chunk.get(index) as string;
  }
  if (DataType.isDictionary(type)) return (_data, chunk, index) => String(chunk.get(index));
  if (
    DataType.isBinary(type) ||
    DataType.isLargeBinary(type) ||
    DataType.isFixedSizeBinary(type) ||
    DataType.isBinaryView(type)
  ) {
    return (_data, chunk, index) => formatBinary(chunk.get(index) as Uint8Array);
  }
  return (_data, chunk, index) => formatNested(chunk.get(index));
}

/** A number for charts: seconds since the epoch for times, Number() for the rest. */
function numberReader(type: DataType): Reader<number> {
  if (DataType.isTimestamp(type)) {
    const divisor = [1, 1e3, 1e6, 1e9][type.unit] ?? 1;
    return (data, _chunk, index) => Number(asBigint(rawValue(data, index))) / divisor;
  }
  if (DataType.isDate(type)) {
    const inDays = type.unit === DateUnit.DAY;
    return (data, _chunk, index) => {
      const raw = rawValue(data, index);
      return inDays ? Number(raw) * 86_400 : Number(asBigint(raw)) / 1000;
    };
  }
  if (DataType.isDecimal(type)) {
    const scale = type.scale;
    return (data, _chunk, index) => Number(formatDecimal(decimalUnscaled(data, index), scale));
  }
  if (DataType.isBool(type)) return (_data, chunk, index) => (chunk.get(index) ? 1 : 0);
  return (_data, chunk, index) => Number(chunk.get(index));
}

/**
 * Random access to one column of an Arrow table without building row objects:
 * finds the record batch holding a row, then reads that batch's buffers.
 */
export class ColumnCells {
  private readonly chunks: Data[];
  private readonly chunkVectors: Vector[];
  private readonly starts: number[];
  private readonly readText: Reader<string>;
  private readonly readNumber: Reader<number>;
  private lastChunk = 0;
  readonly length: number;
  readonly type: DataType;

  constructor(vector: Vector) {
    this.type = vector.type as DataType;
    this.chunks = vector.data as Data[];
    this.chunkVectors = this.chunks.map((data) => makeVector(data));
    this.starts = [];
    let start = 0;
    for (const chunk of this.chunks) {
      this.starts.push(start);
      start += chunk.length;
    }
    this.length = start;
    this.readText = textReader(this.type);
    this.readNumber = numberReader(this.type);
  }

  static ofTable(table: Table): ColumnCells[] {
    return table.schema.fields.map((_field, index) => {
      const column = table.getChildAt(index);
      if (!column) throw new Error(`column ${index} missing from the table`);
      return new ColumnCells(column);
    });
  }

  private locate(row: number): number {
    const last = this.lastChunk;
    const start = this.starts[last] ?? 0;
    const chunk = this.chunks[last];
    if (chunk && row >= start && row < start + chunk.length) return last;
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if ((this.starts[middle] ?? 0) <= row) low = middle;
      else high = middle - 1;
    }
    this.lastChunk = low;
    return low;
  }

  private read<T>(row: number, reader: Reader<T>): T | null {
    if (row < 0 || row >= this.length) return null;
    const chunkIndex = this.locate(row);
    const data = this.chunks[chunkIndex];
    const vector = this.chunkVectors[chunkIndex];
    if (!data || !vector) return null;
    const index = row - (this.starts[chunkIndex] ?? 0);
    if (data.nullCount > 0 && !data.getValid(index)) return null;
    return reader(data, vector, index);
  }

  /** The cell as text, or null for a null value. */
  text(row: number): string | null {
    return this.read(row, this.readText);
  }

  /** The cell as a number (times in epoch seconds), or null for a null value. */
  number(row: number): number | null {
    return this.read(row, this.readNumber);
  }
}
