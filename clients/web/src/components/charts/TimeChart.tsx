import type { Table } from 'apache-arrow';
import { useEffect, useMemo, useState } from 'react';
import { client } from '../../api/client';
import { chooseEvery, everyChoices } from '../../charts/buckets';
import { bucketSeries } from '../../charts/series';
import { UPlotChart, timeOptions } from '../../charts/UPlotChart';
import { isNumericKind, typeKind } from '../../query/columnTypes';
import { withView, type Aggregate, type AggregateFunction } from '../../query/viewQuery';
import { useRunner } from '../useRunner';
import { Status, aggregateFunctions, minMax, type ChartProps } from './shared';

/** An aggregate over time buckets (bucket.every), optionally one line per value of a column. */
export function TimeChart({ dataset, filter, sample }: ChartProps) {
  const times = dataset.columns.filter((column) => ['timestamp', 'date'].includes(typeKind(column.type)));
  const numeric = dataset.columns.filter((column) => isNumericKind(typeKind(column.type)));
  const splits = dataset.columns.filter(
    (column) => typeKind(column.type) === 'string' || typeKind(column.type) === 'boolean',
  );
  const [column, setColumn] = useState(times[0]?.name ?? '');
  const [every, setEvery] = useState('auto');
  const [fn, setFn] = useState<AggregateFunction>('count');
  const [valueColumn, setValueColumn] = useState(
    numeric.find((c) => typeKind(c.type) === 'float')?.name ?? numeric[0]?.name ?? '',
  );
  const [split, setSplit] = useState('');
  const [drawn, setDrawn] = useState(false);
  const { state, run } = useRunner<{ table: Table; every: string }>();
  const key = JSON.stringify([column, every, fn, valueColumn, split, filter, sample], (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v,
  );

  const draw = () => {
    if (!column) return;
    run(async (signal) => {
      let interval = every;
      if (interval === 'auto') {
        const { low, high } = await minMax(dataset.name, column, filter, sample, signal);
        interval = low === null || high === null ? '1d' : chooseEvery(high - low, 300);
      }
      const aggregate: Aggregate =
        fn === 'count' ? { function: 'count', as: 'value' } : { function: fn, column: valueColumn, as: 'value' };
      const table = await client.query(
        dataset.name,
        withView(
          {
            bucket: { column, every: interval, as: 'bucket' },
            group_by: split ? [split] : undefined,
            aggregates: [aggregate],
          },
          filter,
          sample,
        ),
        signal,
      );
      return { table, every: interval };
    });
  };

  useEffect(() => {
    if (drawn) draw();
    // key stands for the inputs of draw
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drawn, key]);

  const chart = useMemo(() => {
    if (state.status !== 'done') return null;
    try {
      const lines = bucketSeries(state.value.table, 'bucket', 'value', split || undefined);
      return {
        lines,
        options: timeOptions(lines.series.map((s) => s.name)),
        data: [lines.x, ...lines.series.map((s) => s.values)] as [number[], ...(number | null)[][]],
      };
    } catch {
      return null;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  if (times.length === 0) return <p className="muted">This dataset has no timestamp or date column.</p>;
  return (
    <div className="chart-tab">
      <form
        className="chart-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (drawn) draw();
          else setDrawn(true);
        }}
      >
        <label>
          Time column
          <select
            aria-label="Time column"
            value={column}
            onChange={(event) => {
              setColumn(event.target.value);
            }}
          >
            {times.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <label>
          every
          <select
            aria-label="Interval"
            value={every}
            onChange={(event) => {
              setEvery(event.target.value);
            }}
          >
            <option value="auto">auto</option>
            {everyChoices.map((choice) => (
              <option key={choice}>{choice}</option>
            ))}
          </select>
        </label>
        <label>
          of
          <select
            aria-label="Time aggregate"
            value={fn}
            onChange={(event) => {
              setFn(event.target.value as AggregateFunction);
            }}
          >
            {aggregateFunctions
              .filter((f) => f !== 'count_distinct')
              .map((f) => (
                <option key={f}>{f}</option>
              ))}
          </select>
        </label>
        {fn === 'count' ? null : (
          <select
            aria-label="Time value column"
            value={valueColumn}
            onChange={(event) => {
              setValueColumn(event.target.value);
            }}
          >
            {numeric.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        )}
        <label>
          split by
          <select
            aria-label="Split by"
            value={split}
            onChange={(event) => {
              setSplit(event.target.value);
            }}
          >
            <option value="">(none)</option>
            {splits.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" data-testid="draw-time">
          Draw
        </button>
      </form>
      <Status state={state} what="the time buckets" />
      {state.status === 'done' ? (
        <p className="muted">
          {state.value.table.numRows.toLocaleString('en-US')} buckets of {state.value.every} (UTC)
          {chart && chart.lines.omitted > 0 ? `; ${chart.lines.omitted} smaller series left out` : ''}
        </p>
      ) : null}
      {chart ? <UPlotChart options={chart.options} data={chart.data} height={200} testId="time-chart" /> : null}
    </div>
  );
}
