import {
  Bool,
  Decimal,
  Field,
  Float64,
  Int32,
  Int64,
  List,
  Struct,
  TimeUnit,
  Timestamp,
  Uint16,
  Utf8,
  Dictionary,
  Int8,
  DateDay,
} from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { columnNameFrom, datasetNameFromFile, detectFormat } from './detect';
import {
  arrowFieldsToColumns,
  inferCsvSchema,
  inferNdjsonSchema,
  inferType,
  parquetColumns,
  parseCsvHead,
  type ParquetNode,
} from './infer';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('detectFormat', () => {
  it('trusts magic bytes over names', () => {
    expect(detectFormat(bytes('PAR1xxxx'), 'data.csv')).toBe('parquet');
    expect(detectFormat(bytes('ARROW1\0\0'), 'x')).toBe('arrow-file');
    expect(detectFormat(new Uint8Array([255, 255, 255, 255, 16, 1, 0, 0]), 'x.bin')).toBe('arrow-stream');
  });
  it('falls back to the name, then to the content', () => {
    expect(detectFormat(bytes('id,v\n'), 'x.csv')).toBe('csv');
    expect(detectFormat(bytes('{"a":1}\n'), 'x.jsonl')).toBe('ndjson');
    expect(detectFormat(bytes('  {"a":1}'), 'upload')).toBe('ndjson');
    expect(detectFormat(bytes('a,b\n1,2'), 'upload')).toBe('csv');
    expect(detectFormat(new Uint8Array([0, 1, 2]), 'upload')).toBeNull();
  });
  it('makes valid names', () => {
    expect(datasetNameFromFile('Sales 2024 (final).csv')).toBe('sales_2024_final');
    expect(datasetNameFromFile('2024.parquet')).toBe('data_2024');
    expect(datasetNameFromFile('___.csv')).toBe('data');
    expect(columnNameFrom(' unit price ', 0)).toBe('unit_price');
    expect(columnNameFrom('1st', 0)).toBe('c_1st');
    expect(columnNameFrom('', 2)).toBe('column_3');
  });
});

describe('CSV and NDJSON schemas', () => {
  it('parses quoted fields, escaped quotes and CRLF, dropping a cut last line', () => {
    expect(parseCsvHead('a,b\r\n"x, y","say ""hi"""\r\n1,2\r\n3,')).toEqual([
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['1', '2'],
    ]);
    expect(parseCsvHead('a\n"multi\nline"\nlast', 10, true)).toEqual([['a'], ['multi\nline'], ['last']]);
  });
  it('infers the narrowest type that fits every value', () => {
    expect(inferType(['1', '-2', ''])).toBe('int64');
    expect(inferType(['1', '2.5', '1e3'])).toBe('float64');
    expect(inferType(['99999999999999999999'])).toBe('float64');
    expect(inferType(['true', 'FALSE'])).toBe('boolean');
    expect(inferType(['2024-01-01'])).toBe('date');
    expect(inferType(['2024-01-01T10:00:00Z', '2024-01-01 10:00:00.5+02:00'])).toBe('timestamp(us, UTC)');
    expect(inferType(['2024-01-01 10:00'])).toBe('timestamp(us)');
    expect(inferType(['1', 'abc'])).toBe('string');
    expect(inferType(['', ' '])).toBe('string');
  });
  it('reads a CSV head into nullable columns with valid, unique names', () => {
    expect(inferCsvSchema('id,value,name,name\n1,2.5,a,b\n2,,c,d\n', true)).toEqual([
      { name: 'id', type: 'int64', required: false },
      { name: 'value', type: 'float64', required: false },
      { name: 'name', type: 'string', required: false },
      { name: 'name_2', type: 'string', required: false },
    ]);
  });
  it('reads NDJSON keys in first-seen order', () => {
    expect(inferNdjsonSchema('{"a":1,"b":"x"}\n{"a":2,"c":true,"d":{"e":1}}\n', true)).toEqual([
      { name: 'a', type: 'int64', required: false },
      { name: 'b', type: 'string', required: false },
      { name: 'c', type: 'boolean', required: false },
      { name: 'd', type: 'string', required: false },
    ]);
  });
});

describe('Arrow and Parquet schemas', () => {
  it('maps Arrow types to Quiver types', () => {
    const fields = [
      new Field('id', new Int64(), false),
      new Field('q', new Int32(), true),
      new Field('u', new Uint16(), true),
      new Field('v', new Float64(), true),
      new Field('ok', new Bool(), true),
      new Field('s', new Utf8(), true),
      new Field('d', new DateDay(), true),
      new Field('ts', new Timestamp(TimeUnit.MICROSECOND, 'UTC'), true),
      new Field('naive', new Timestamp(TimeUnit.MILLISECOND), true),
      new Field('price', new Decimal(2, 10, 128), true),
      new Field('tags', new List(new Field('item', new Utf8())), true),
      new Field('point', new Struct([new Field('x', new Float64()), new Field('y', new Float64())]), true),
      new Field('cat', new Dictionary(new Utf8(), new Int8()), true),
    ];
    expect(arrowFieldsToColumns(fields).map((column) => `${column.name}:${column.type}:${column.required}`)).toEqual([
      'id:int64:true',
      'q:int32:false',
      'u:uint16:false',
      'v:float64:false',
      'ok:boolean:false',
      's:string:false',
      'd:date:false',
      'ts:timestamp(us, UTC):false',
      'naive:timestamp(ms):false',
      'price:decimal(10, 2):false',
      'tags:list<string>:false',
      'point:struct<x: float64, y: float64>:false',
      'cat:string:false',
    ]);
  });

  it('maps a Parquet schema tree', () => {
    const leaf = (element: ParquetNode['element']): ParquetNode => ({ element, children: [] });
    const root: ParquetNode = {
      element: { name: 'schema' },
      children: [
        leaf({ name: 'id', type: 'INT64', repetition_type: 'REQUIRED' }),
        leaf({
          name: 'ts',
          type: 'INT64',
          repetition_type: 'OPTIONAL',
          logical_type: { type: 'TIMESTAMP', unit: 'MICROS', isAdjustedToUTC: true },
        }),
        leaf({
          name: 'local',
          type: 'INT64',
          logical_type: { type: 'TIMESTAMP', unit: 'MILLIS', isAdjustedToUTC: false },
        }),
        leaf({ name: 'q', type: 'INT32', logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: false } }),
        leaf({ name: 'day', type: 'INT32', converted_type: 'DATE' }),
        leaf({ name: 'name', type: 'BYTE_ARRAY', logical_type: { type: 'STRING' } }),
        leaf({ name: 'raw', type: 'BYTE_ARRAY' }),
        leaf({
          name: 'price',
          type: 'FIXED_LEN_BYTE_ARRAY',
          logical_type: { type: 'DECIMAL', precision: 12, scale: 3 },
        }),
        leaf({ name: 'v', type: 'DOUBLE' }),
        leaf({ name: 'f', type: 'FLOAT' }),
        leaf({ name: 'ok', type: 'BOOLEAN' }),
        {
          element: { name: 'tags', logical_type: { type: 'LIST' } },
          children: [
            {
              element: { name: 'list', repetition_type: 'REPEATED' },
              children: [leaf({ name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8' })],
            },
          ],
        },
        {
          element: { name: 'point' },
          children: [leaf({ name: 'x', type: 'DOUBLE' }), leaf({ name: 'y', type: 'DOUBLE' })],
        },
      ],
    };
    expect(parquetColumns(root).map((column) => `${column.name}:${column.type}:${column.required}`)).toEqual([
      'id:int64:true',
      'ts:timestamp(us, UTC):false',
      'local:timestamp(ms):false',
      'q:uint16:false',
      'day:date:false',
      'name:string:false',
      'raw:binary:false',
      'price:decimal(12, 3):false',
      'v:float64:false',
      'f:float32:false',
      'ok:boolean:false',
      'tags:list<string>:false',
      'point:struct<x: float64, y: float64>:false',
    ]);
  });
});
