import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { binOrigin, chooseEvery, everySeconds, niceWidth } from './buckets';
import { bucketSeries, categorySeries } from './series';

describe('bucket sizes', () => {
  it('chooses the smallest interval with at most maxBuckets buckets', () => {
    expect(chooseEvery(60, 400)).toBe('1s');
    expect(chooseEvery(86_400, 400)).toBe('5m');
    expect(chooseEvery(23 * 86_400, 300)).toBe('3h');
    expect(chooseEvery(10 * 365 * 86_400, 400)).toBe('4w');
    expect(chooseEvery(50 * 365 * 86_400, 400)).toBe('13w');
    expect(chooseEvery(1000 * 365 * 86_400, 400)).toBe('131w');
  });
  it('reads intervals', () => {
    expect(everySeconds('15m')).toBe(900);
    expect(everySeconds('2w')).toBe(1_209_600);
    expect(everySeconds('1y')).toBeNaN();
  });
  it('picks round bin widths and origins', () => {
    expect(niceWidth(0, 1000, 40)).toBe(25);
    expect(niceWidth(0.001, 999.999, 40)).toBe(25);
    expect(niceWidth(1, 100, 10)).toBe(10);
    expect(niceWidth(-3, 3, 40)).toBe(0.2);
    expect(niceWidth(5, 5)).toBe(1);
    expect(binOrigin(12.3, 2.5)).toBe(10);
    expect(binOrigin(-0.1, 0.5)).toBe(-0.5);
  });
});

describe('series from aggregate results', () => {
  it('labels bars with the group keys', () => {
    const table = tableFromArrays({
      category: ['A', 'B'],
      region: ['north', 'east'],
      row_count: new Float64Array([10, 20]),
    });
    expect(categorySeries(table, ['category', 'region'], 'row_count')).toEqual({
      labels: ['A · north', 'B · east'],
      values: [10, 20],
    });
    expect(() => categorySeries(table, ['nope'], 'row_count')).toThrow(/no column "nope"/);
  });

  it('pivots a split column into one line each, with gaps', () => {
    const table = tableFromArrays({
      bucket: new Float64Array([200, 100, 100, 200, 300]),
      category: ['A', 'A', 'B', 'B', 'A'],
      value: new Float64Array([2, 1, 5, 6, 3]),
    });
    expect(bucketSeries(table, 'bucket', 'value', 'category')).toEqual({
      x: [100, 200, 300],
      series: [
        { name: 'A', values: [1, 2, 3] },
        { name: 'B', values: [5, 6, null] },
      ],
      omitted: 0,
    });
  });

  it('keeps the biggest series when there are too many', () => {
    const table = tableFromArrays({
      bucket: new Float64Array([1, 1, 1]),
      split: ['small', 'big', 'middle'],
      value: new Float64Array([1, 100, 10]),
    });
    const result = bucketSeries(table, 'bucket', 'value', 'split', 2);
    expect(result.series.map((series) => series.name)).toEqual(['big', 'middle']);
    expect(result.omitted).toBe(1);
  });

  it('makes one series without a split column', () => {
    const table = tableFromArrays({ bucket: new Float64Array([0, 2.5]), rows: new Float64Array([4, 7]) });
    expect(bucketSeries(table, 'bucket', 'rows')).toEqual({
      x: [0, 2.5],
      series: [{ name: 'rows', values: [4, 7] }],
      omitted: 0,
    });
  });
});
