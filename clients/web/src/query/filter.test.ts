import { describe, expect, it } from 'vitest';
import type { ColumnSpec } from '../api/types';
import { buildFilter, parseColumnFilter, parseScalar, type FilterNode } from './filter';
import { toJsonText } from './json';

const column = (name: string, type: string): ColumnSpec => ({ name, type, required: false });
const id = column('id', 'int64');
const value = column('value', 'float64');
const label = column('label', 'string');
const flag = column('flag', 'boolean');
const ts = column('ts', 'timestamp(us, UTC)');
const tiny = column('tiny', 'int8');
const price = column('price', 'decimal(10, 2)');
const blob = column('blob', 'binary');

describe('parseColumnFilter', () => {
  const cases: [string, ColumnSpec, FilterNode | null][] = [
    ['', id, null],
    ['   ', label, null],
    ['null', label, { op: 'is_null', column: 'label' }],
    ['!null', value, { op: 'not', arg: { op: 'is_null', column: 'value' } }],
    ['NOT NULL', value, { op: 'not', arg: { op: 'is_null', column: 'value' } }],
    ['42', id, { op: '=', column: 'id', value: 42n }],
    ['>= 10', id, { op: '>=', column: 'id', value: 10n }],
    ['!=3', id, { op: '!=', column: 'id', value: 3n }],
    ['<0.5', value, { op: '<', column: 'value', value: 0.5 }],
    ['>1e3', value, { op: '>', column: 'value', value: 1000 }],
    ['10..20', id, { op: 'between', column: 'id', low: 10n, high: 20n }],
    ['-5..-1', id, { op: 'between', column: 'id', low: -5n, high: -1n }],
    ['1, 2,3', id, { op: 'in', column: 'id', values: [1n, 2n, 3n] }],
    ['abc', label, { op: 'contains', column: 'label', value: 'abc' }],
    ['^item-1', label, { op: 'starts_with', column: 'label', value: 'item-1' }],
    ['~tem', label, { op: 'contains', column: 'label', value: 'tem' }],
    ['=A', label, { op: '=', column: 'label', value: 'A' }],
    ['A, B', label, { op: 'in', column: 'label', values: ['A', 'B'] }],
    ['"a, b", c', label, { op: 'in', column: 'label', values: ['a, b', 'c'] }],
    ['"^literal"', label, { op: 'contains', column: 'label', value: '^literal' }],
    ['1..2', label, { op: 'contains', column: 'label', value: '1..2' }],
    ['true', flag, { op: '=', column: 'flag', value: true }],
    ['=false', flag, { op: '=', column: 'flag', value: false }],
    ['>2024-01-02', ts, { op: '>', column: 'ts', value: '2024-01-02' }],
    [
      '2024-01-01T00:00:00Z..2024-01-02 12:00',
      ts,
      { op: 'between', column: 'ts', low: '2024-01-01T00:00:00Z', high: '2024-01-02T12:00' },
    ],
    ['>=12.34', price, { op: '>=', column: 'price', value: 12.34 }],
    ['null', blob, { op: 'is_null', column: 'blob' }],
  ];
  it.each(cases)('%j on %o', (text, spec, expected) => {
    expect(parseColumnFilter(text, spec)).toEqual({ ok: true, node: expected });
  });

  const failures: [string, ColumnSpec, RegExp][] = [
    ['abc', id, /not an integer/],
    ['1.5', id, /not an integer/],
    ['>x', value, /not a number/],
    ['maybe', flag, /not true or false/],
    ['128', tiny, /does not fit int8/],
    ['yesterday', ts, /not a date/],
    ['1..x', id, /not an integer/],
    ['^', label, /type some text/],
    ['abc', blob, /only null/],
  ];
  it.each(failures)('refuses %j on %o', (text, spec, message) => {
    const result = parseColumnFilter(text, spec);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('keeps int64 values exact beyond 2^53', () => {
    const result = parseColumnFilter('>9223372036854775806', id);
    expect(result).toEqual({ ok: true, node: { op: '>', column: 'id', value: 9223372036854775806n } });
    if (result.ok) expect(toJsonText(result.node)).toBe('{"op":">","column":"id","value":9223372036854775806}');
  });

  it('checks unsigned ranges', () => {
    expect(parseScalar('-1', 'uint8')).toEqual({ error: '-1 does not fit uint8' });
    expect(parseScalar('255', 'uint8')).toEqual({ value: 255n });
  });
});

describe('buildFilter', () => {
  const columns = [id, value, label];
  it('is undefined with no filters', () => {
    expect(buildFilter([], columns)).toEqual({ filter: undefined, errors: new Map() });
  });
  it('is the node itself for one column', () => {
    expect(buildFilter([{ column: 'label', text: '=A' }], columns).filter).toEqual({
      op: '=',
      column: 'label',
      value: 'A',
    });
  });
  it('joins columns with and, leaving out and reporting the bad ones', () => {
    const built = buildFilter(
      [
        { column: 'id', text: '>5' },
        { column: 'value', text: 'oops' },
        { column: 'label', text: 'x' },
        { column: 'ghost', text: '1' },
      ],
      columns,
    );
    expect(built.filter).toEqual({
      op: 'and',
      args: [
        { op: '>', column: 'id', value: 5n },
        { op: 'contains', column: 'label', value: 'x' },
      ],
    });
    expect([...built.errors.keys()]).toEqual(['value', 'ghost']);
  });
});
