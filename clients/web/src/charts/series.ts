import type { Table } from 'apache-arrow';
import { ColumnCells } from '../arrow/columns';

function cellsOf(table: Table, name: string): ColumnCells {
  const index = table.schema.fields.findIndex((field) => field.name === name);
  const vector = index < 0 ? null : table.getChildAt(index);
  if (!vector) throw new Error(`the result has no column "${name}"`);
  return new ColumnCells(vector);
}

export interface Categories {
  labels: string[];
  values: (number | null)[];
}

/** Bars: one label per row (group keys joined with " · ") and the value column. */
export function categorySeries(table: Table, labelColumns: readonly string[], valueColumn: string): Categories {
  const labelCells = labelColumns.map((name) => cellsOf(table, name));
  const valueCells = cellsOf(table, valueColumn);
  const labels: string[] = [];
  const values: (number | null)[] = [];
  for (let row = 0; row < table.numRows; row += 1) {
    labels.push(labelCells.map((cells) => cells.text(row) ?? 'null').join(' · '));
    values.push(valueCells.number(row));
  }
  return { labels, values };
}

export interface XYSeries {
  /** Ascending x values (epoch seconds for times). */
  x: number[];
  series: { name: string; values: (number | null)[] }[];
  /** Split values left out to keep the chart readable. */
  omitted: number;
}

/**
 * Lines from a bucketed result ordered by bucket: x from the bucket column, one series
 * per value of the split column (or one series), gaps as null.
 */
export function bucketSeries(
  table: Table,
  bucketColumn: string,
  valueColumn: string,
  splitColumn?: string,
  maxSeries = 8,
): XYSeries {
  const bucketCells = cellsOf(table, bucketColumn);
  const valueCells = cellsOf(table, valueColumn);
  const splitCells = splitColumn ? cellsOf(table, splitColumn) : null;
  const xs: number[] = [];
  const xIndex = new Map<number, number>();
  const totals = new Map<string, number>();
  for (let row = 0; row < table.numRows; row += 1) {
    const x = bucketCells.number(row);
    if (x === null) continue;
    if (!xIndex.has(x)) {
      xIndex.set(x, xs.length);
      xs.push(x);
    }
    const name = splitCells ? (splitCells.text(row) ?? 'null') : valueColumn;
    totals.set(name, (totals.get(name) ?? 0) + Math.abs(valueCells.number(row) ?? 0));
  }
  const order = xs.map((x, index) => [x, index] as const).sort((a, b) => a[0] - b[0]);
  const position = new Map(order.map(([, index], sorted) => [index, sorted]));
  const names = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([name]) => name);
  const kept = splitCells ? names.slice(0, maxSeries).sort() : names;
  const series = kept.map((name) => ({ name, values: new Array<number | null>(xs.length).fill(null) }));
  const seriesByName = new Map(series.map((entry) => [entry.name, entry]));
  for (let row = 0; row < table.numRows; row += 1) {
    const x = bucketCells.number(row);
    if (x === null) continue;
    const name = splitCells ? (splitCells.text(row) ?? 'null') : valueColumn;
    const target = seriesByName.get(name);
    const column = position.get(xIndex.get(x) ?? -1);
    if (target && column !== undefined) target.values[column] = valueCells.number(row);
  }
  return { x: order.map(([x]) => x), series, omitted: names.length - kept.length };
}
