import {
  Bool,
  Decimal,
  Field,
  Float64,
  Int64,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimeUnit,
  TimestampMicrosecond,
  Utf8,
  makeData,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';

/** A two-batch table like the demo dataset, with nulls, for tests. */
export function demoTable(): Table {
  const batch = (start: number, rows: number) => {
    const ids = Array.from({ length: rows }, (_v, index) => BigInt(start + index));
    const ts = Array.from({ length: rows }, (_v, index) => BigInt(1_704_067_200 + start + index) * 1_000_000n + 1n);
    const data = {
      id: vectorFromArray(ids, new Int64()),
      ts: makeData({
        type: new TimestampMicrosecond('UTC'),
        length: rows,
        data: new BigInt64Array(ts),
      }),
      value: vectorFromArray(
        Array.from({ length: rows }, (_v, index) => (start + index) * 1.5),
        new Float64(),
      ),
      flag: vectorFromArray(
        Array.from({ length: rows }, (_v, index) => (start + index) % 2 === 0),
        new Bool(),
      ),
      label: vectorFromArray(
        Array.from({ length: rows }, (_v, index) => ((start + index) % 3 === 0 ? null : `item-${start + index}`)),
        new Utf8(),
      ),
    };
    const schema = new Schema([
      new Field('id', new Int64(), false),
      new Field('ts', new TimestampMicrosecond('UTC'), false),
      new Field('value', new Float64(), false),
      new Field('flag', new Bool(), false),
      new Field('label', new Utf8(), true),
    ]);
    const children = [data.id.data[0], data.ts, data.value.data[0], data.flag.data[0], data.label.data[0]];
    const structData = makeData({
      type: new Struct(schema.fields),
      length: rows,
      nullCount: 0,
      children: children as never,
    });
    return new RecordBatch(schema, structData);
  };
  const first = batch(0, 5);
  return new Table(first.schema, [first, batch(5, 4)]);
}

/** A decimal(10, 2) column with the given unscaled values (and a null). */
export function decimalTable(unscaled: (bigint | null)[]): Table {
  const words = new Uint32Array(unscaled.length * 4);
  const validity = new Uint8Array(Math.ceil(unscaled.length / 8));
  unscaled.forEach((value, index) => {
    if (value === null) return;
    validity[index >> 3] = (validity[index >> 3] ?? 0) | (1 << (index % 8));
    let rest = BigInt.asUintN(128, value);
    for (let word = 0; word < 4; word += 1) {
      words[index * 4 + word] = Number(rest & 0xffffffffn);
      rest >>= 32n;
    }
  });
  const type = new Decimal(2, 10, 128);
  const data = makeData({
    type,
    length: unscaled.length,
    nullCount: unscaled.filter((v) => v === null).length,
    nullBitmap: validity,
    data: words,
  });
  const schema = new Schema([new Field('price', type, true)]);
  const struct = makeData({ type: new Struct(schema.fields), length: unscaled.length, nullCount: 0, children: [data] });
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** Arrow IPC stream bytes of a table. */
export function streamBytes(table: Table): Uint8Array {
  return tableToIPC(table, 'stream');
}

export { TimeUnit };
