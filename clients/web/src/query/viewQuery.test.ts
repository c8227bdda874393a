import { describe, expect, it } from 'vitest';
import {
  countBody,
  fractionText,
  orderByText,
  rowsParams,
  rowsUrl,
  toggleSort,
  viewFromSearch,
  viewToSearch,
  withView,
  type ViewState,
} from './viewQuery';

describe('orderByText', () => {
  it('is undefined without sort keys (the server keeps insertion order)', () => {
    expect(orderByText([], ['id'])).toBeUndefined();
  });
  it('leaves pages in insertion order without sort keys, with or without a primary key', () => {
    expect(orderByText([], ['a', 'b'])).toBeUndefined();
    expect(orderByText([], null)).toBeUndefined();
    expect(orderByText([{ column: 'v', descending: true }], ['id'])).toBe('-v,id');
  });
  it('adds the primary key as a tie-breaker so pages do not overlap', () => {
    expect(orderByText([{ column: 'value', descending: true }], ['id'])).toBe('-value,id');
    expect(orderByText([{ column: 'id', descending: true }], ['id'])).toBe('-id');
    expect(
      orderByText(
        [
          { column: 'a', descending: false },
          { column: 'b', descending: true },
        ],
        null,
      ),
    ).toBe('a,-b');
  });
});

describe('toggleSort', () => {
  it('cycles ascending, descending, off', () => {
    const first = toggleSort([], 'value', false);
    expect(first).toEqual([{ column: 'value', descending: false }]);
    const second = toggleSort(first, 'value', false);
    expect(second).toEqual([{ column: 'value', descending: true }]);
    expect(toggleSort(second, 'value', false)).toEqual([]);
  });
  it('replaces other keys unless asked to keep them', () => {
    const sort = [{ column: 'a', descending: false }];
    expect(toggleSort(sort, 'b', false)).toEqual([{ column: 'b', descending: false }]);
    expect(toggleSort(sort, 'b', true)).toEqual([
      { column: 'a', descending: false },
      { column: 'b', descending: false },
    ]);
  });
});

describe('rowsParams', () => {
  it('writes every part of a window request', () => {
    const params = rowsParams({
      columns: ['id', 'value'],
      filter: { op: '>', column: 'id', value: 10n },
      orderBy: '-value,id',
      sample: { kind: 'rows', amount: 1000, seed: 42 },
      offset: 2000,
      limit: 1000,
      format: 'parquet',
    });
    expect(Object.fromEntries(params)).toEqual({
      columns: 'id,value',
      filter: '{"op":">","column":"id","value":10}',
      order_by: '-value,id',
      sample: '1000',
      seed: '42',
      limit: '1000',
      offset: '2000',
      format: 'parquet',
    });
  });
  it('leaves out defaults', () => {
    expect(rowsParams({ offset: 0, format: 'arrow' }).toString()).toBe('');
    expect(rowsUrl('demo', {})).toBe('/api/v1/datasets/demo/rows');
  });
  it('writes fractions as decimals the server reads as fractions', () => {
    expect(rowsParams({ sample: { kind: 'fraction', amount: 0.05, seed: 1 } }).get('sample')).toBe('0.05');
    expect(fractionText(1e-7)).toBe('0.0000001');
    expect(fractionText(1)).toBe('1.0');
  });
});

describe('query bodies', () => {
  it('counts the view', () => {
    expect(countBody(undefined, null)).toEqual({ aggregates: [{ function: 'count', as: 'row_count' }] });
    expect(countBody({ op: 'is_null', column: 'x' }, { kind: 'fraction', amount: 0.1, seed: 7 })).toEqual({
      aggregates: [{ function: 'count', as: 'row_count' }],
      filter: { op: 'is_null', column: 'x' },
      sample: { fraction: 0.1, seed: 7 },
    });
  });
  it('adds filter and sample to a chart query', () => {
    expect(withView({ group_by: ['a'] }, undefined, { kind: 'rows', amount: 10.4, seed: 1 })).toEqual({
      group_by: ['a'],
      sample: { rows: 10, seed: 1 },
    });
  });
});

describe('the view in the URL', () => {
  it('round-trips', () => {
    const view: ViewState = {
      filters: [
        { column: 'category', text: 'A, B' },
        { column: 'value', text: '>500' },
      ],
      sort: [
        { column: 'value', descending: true },
        { column: 'id', descending: false },
      ],
      sample: { kind: 'fraction', amount: 0.25, seed: 9 },
    };
    const search = viewToSearch(view);
    expect(search).toBe('f.category=A%2C+B&f.value=%3E500&sort=-value%2Cid&sample=0.25&seed=9');
    expect(viewFromSearch(`?${search}`)).toEqual(view);
  });
  it('reads row samples and ignores junk', () => {
    expect(viewFromSearch('sample=500&seed=3&sort=,-,x&f.a=')).toEqual({
      filters: [],
      sort: [{ column: 'x', descending: false }],
      sample: { kind: 'rows', amount: 500, seed: 3 },
    });
    expect(viewFromSearch('sample=-1')).toEqual({ filters: [], sort: [], sample: null });
  });
});
