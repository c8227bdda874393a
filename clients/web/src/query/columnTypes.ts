/** What the UI needs to know about a declared Quiver column type ("int64", "timestamp(us, UTC)", ...). */
export type TypeKind =
  | 'boolean'
  | 'integer'
  | 'float'
  | 'decimal'
  | 'string'
  | 'binary'
  | 'date'
  | 'time'
  | 'timestamp'
  | 'duration'
  | 'nested';

const integerTypes = new Set(['int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64']);

export function typeKind(declared: string): TypeKind {
  const type = declared.trim().toLowerCase();
  if (type === 'boolean' || type === 'bool') return 'boolean';
  if (integerTypes.has(type)) return 'integer';
  if (type === 'float32' || type === 'float64' || type === 'float' || type === 'double') return 'float';
  if (type.startsWith('decimal')) return 'decimal';
  if (type === 'string' || type === 'utf8') return 'string';
  if (type === 'binary') return 'binary';
  if (type === 'date') return 'date';
  if (type === 'time' || type.startsWith('time(')) return 'time';
  if (type.startsWith('timestamp')) return 'timestamp';
  if (type.startsWith('duration')) return 'duration';
  return 'nested';
}

export function isNumericKind(kind: TypeKind): boolean {
  return kind === 'integer' || kind === 'float' || kind === 'decimal';
}

/** Columns a histogram can bin by width (numbers). */
export function isBinnable(declared: string): boolean {
  return isNumericKind(typeKind(declared));
}

/** Columns that can be ordered and compared (everything but binary and nested). */
export function isComparable(declared: string): boolean {
  const kind = typeKind(declared);
  return kind !== 'binary' && kind !== 'nested';
}

/** Integer bounds of the declared type, for checking filter values early. */
export function integerRange(declared: string): [bigint, bigint] {
  const type = declared.trim().toLowerCase();
  const bits = BigInt(Number(type.replace(/^u?int/, '')) || 64);
  if (type.startsWith('u')) return [0n, (1n << bits) - 1n];
  return [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n];
}

/** A reasonable starting width in pixels for a column of this type. */
export function defaultColumnWidth(declared: string): number {
  switch (typeKind(declared)) {
    case 'boolean':
      return 72;
    case 'integer':
      return 100;
    case 'float':
    case 'decimal':
      return 120;
    case 'timestamp':
      return 250;
    case 'date':
    case 'time':
    case 'duration':
      return 130;
    default:
      return 125;
  }
}
