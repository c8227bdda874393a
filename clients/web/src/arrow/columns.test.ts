import { describe, expect, it } from 'vitest';
import { ColumnCells } from './columns';
import { decimalTable, demoTable } from './testTables';

describe('ColumnCells', () => {
  const table = demoTable();
  const [id, ts, value, flag, label] = ColumnCells.ofTable(table);

  it('reads across record batches without row objects', () => {
    expect(table.batches.length).toBe(2);
    expect(id?.length).toBe(9);
    expect([0, 4, 5, 8].map((row) => id?.text(row))).toEqual(['0', '4', '5', '8']);
    expect(id?.text(9)).toBeNull();
  });

  it('prints microsecond timestamps exactly, in their zone', () => {
    expect(ts?.text(0)).toBe('2024-01-01 00:00:00.000001Z');
    expect(ts?.text(7)).toBe('2024-01-01 00:00:07.000001Z');
    expect(ts?.number(1)).toBeCloseTo(1_704_067_201.000001, 6);
  });

  it('prints doubles, booleans and strings, and nulls as null', () => {
    expect(value?.text(3)).toBe('4.5');
    expect(value?.number(3)).toBe(4.5);
    expect(flag?.text(2)).toBe('true');
    expect(flag?.text(5)).toBe('false');
    expect(label?.text(1)).toBe('item-1');
    expect(label?.text(0)).toBeNull();
    expect(label?.text(6)).toBeNull();
    expect(label?.text(8)).toBe('item-8');
  });

  it('prints decimals exactly', () => {
    const [price] = ColumnCells.ofTable(decimalTable([12_345n, -1n, null, 99_999_999_99n]));
    expect([0, 1, 2, 3].map((row) => price?.text(row))).toEqual(['123.45', '-0.01', null, '99999999.99']);
    expect(price?.number(0)).toBe(123.45);
  });
});
