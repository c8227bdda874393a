import type { Table } from 'apache-arrow';
import { useEffect, useMemo, useState } from 'react';
import { client } from '../api/client';
import { ProblemError, describeError } from '../api/problem';
import type { DatasetInfo } from '../api/types';
import { ColumnCells } from '../arrow/columns';
import { formatMilliseconds } from '../arrow/format';
import { binOrigin, chooseEvery, everyChoices, niceWidth } from '../charts/buckets';
import { bucketSeries, categorySeries } from '../charts/series';
import { UPlotChart, barOptions, histogramOptions, timeOptions } from '../charts/UPlotChart';
import { isBinnable, isComparable, isNumericKind, typeKind } from '../query/columnTypes';
import type { FilterNode } from '../query/filter';
import { withView, type Aggregate, type AggregateFunction, type SampleSpec } from '../query/viewQuery';
import { ResultTable } from './ResultTable';
import { useRunner, type RunState } from './useRunner';

export interface ChartsPanelProps {
  dataset: DatasetInfo;
  filter: FilterNode | undefined;
  sample: SampleSpec | null;
}

type Tab = 'aggregate' | 'time' | 'histogram';

const aggregateFunctions: AggregateFunction[] = ['count', 'count_distinct', 'sum', 'mean', 'min', 'max', 'stddev'];

function aggregateName(aggregate: Aggregate): string {
  return aggregate.function === 'count' && !aggregate.column ? 'row_count' : `${aggregate.function}_${aggregate.column ?? 'rows'}`;
}

function needsNumber(fn: AggregateFunction): boolean {
  return fn === 'sum' || fn === 'mean' || fn === 'stddev';
}

function bucketsUnsupported(error: unknown): boolean {
  return error instanceof ProblemError && error.mentionsUnknownMember('bucket');
}

function Status<T>({ state, what }: { state: RunState<T>; what: string }) {
  if (state.status === 'running') return <p className="muted" data-testid="chart-status">Running {what} on the server…</p>;
  if (state.status === 'failed') {
    const message = bucketsUnsupported(state.error)
      ? 'This server does not support buckets in POST /query yet, so time and histogram charts are unavailable.'
      : describeError(state.error);
    return (
      <p className="error" role="alert" data-testid="chart-error">
        {message}
      </p>
    );
  }
  if (state.status === 'done') return <p className="muted" data-testid="chart-status">Computed on the server in {formatMilliseconds(state.elapsedMs)}.</p>;
  return null;
}

async function minMax(dataset: string, column: string, filter: FilterNode | undefined, sample: SampleSpec | null, signal: AbortSignal) {
  const table = await client.query(
    dataset,
    withView({ aggregates: [{ function: 'min', column, as: 'low' }, { function: 'max', column, as: 'high' }] }, filter, sample),
    signal,
  );
  const [low, high] = ColumnCells.ofTable(table).map((cells) => cells.number(0));
  return { low: low ?? null, high: high ?? null };
}

function AggregateTab({ dataset, filter, sample }: ChartsPanelProps) {
  const groupable = dataset.columns.filter((column) => isComparable(column.type));
  const numeric = dataset.columns.filter((column) => isNumericKind(typeKind(column.type)));
  const [groupBy, setGroupBy] = useState<string[]>(() => {
    const preferred = groupable.find((column) => typeKind(column.type) === 'string') ?? groupable[0];
    return preferred ? [preferred.name] : [];
  });
  const [aggregates, setAggregates] = useState<Aggregate[]>(() => {
    const list: Aggregate[] = [{ function: 'count' }];
    if (numeric[0] && numeric.length > 1) list.push({ function: 'mean', column: (numeric.find((c) => typeKind(c.type) === 'float') ?? numeric[0]).name });
    return list;
  });
  const [drawn, setDrawn] = useState(false);
  const { state, run } = useRunner<Table>();
  const named = aggregates.map((aggregate) => ({ ...aggregate, as: aggregateName(aggregate) }));
  const body = withView(
    { group_by: groupBy, aggregates: named, order_by: named[0] ? `-${named[0].as}` : undefined, limit: 50 },
    filter,
    sample,
  );
  const bodyKey = JSON.stringify(body, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));

  useEffect(() => {
    if (!drawn || groupBy.length === 0) return;
    run((signal) => client.query(dataset.name, body, signal));
    // bodyKey stands for body
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drawn, bodyKey, dataset.name, run]);

  const chart = useMemo(() => {
    if (state.status !== 'done' || !named[0]) return null;
    const firstName = named[0].as;
    try {
      const categories = categorySeries(state.value, groupBy, firstName);
      return { options: barOptions(categories.labels, firstName), data: [categories.labels.map((_l, i) => i), categories.values] as [number[], (number | null)[]] };
    } catch {
      return null;
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state]);

  const setGroup = (index: number, name: string) => {
    const next = [...groupBy];
    if (name === '') next.splice(index, 1);
    else next[index] = name;
    setGroupBy([...new Set(next)]);
  };

  return (
    <div className="chart-tab">
      <form
        className="chart-form"
        onSubmit={(event) => {
          event.preventDefault();
          setDrawn(true);
          if (drawn && groupBy.length > 0) run((signal) => client.query(dataset.name, body, signal));
        }}
      >
        <label>
          Group by
          <select aria-label="Group by" value={groupBy[0] ?? ''} onChange={(event) => { setGroup(0, event.target.value); }}>
            {groupable.map((column) => (
              <option key={column.name} value={column.name}>
                {column.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          then
          <select aria-label="Then group by" value={groupBy[1] ?? ''} onChange={(event) => { setGroup(1, event.target.value); }}>
            <option value="">(none)</option>
            {groupable.filter((column) => column.name !== groupBy[0]).map((column) => (
              <option key={column.name} value={column.name}>
                {column.name}
              </option>
            ))}
          </select>
        </label>
        {aggregates.map((aggregate, index) => (
          <span className="aggregate" key={index}>
            <select
              aria-label={`Aggregate ${index + 1} function`}
              value={aggregate.function}
              onChange={(event) => {
                const fn = event.target.value as AggregateFunction;
                const next = [...aggregates];
                const column = fn === 'count' ? undefined : (aggregate.column ?? (needsNumber(fn) ? numeric[0]?.name : dataset.columns[0]?.name));
                next[index] = column ? { function: fn, column } : { function: fn };
                setAggregates(next);
              }}
            >
              {aggregateFunctions.map((fn) => (
                <option key={fn} value={fn}>
                  {fn}
                </option>
              ))}
            </select>
            {aggregate.function === 'count' ? null : (
              <select
                aria-label={`Aggregate ${index + 1} column`}
                value={aggregate.column ?? ''}
                onChange={(event) => {
                  const next = [...aggregates];
                  next[index] = { function: aggregate.function, column: event.target.value };
                  setAggregates(next);
                }}
              >
                {(needsNumber(aggregate.function) ? numeric : dataset.columns).map((column) => (
                  <option key={column.name} value={column.name}>
                    {column.name}
                  </option>
                ))}
              </select>
            )}
            {aggregates.length > 1 ? (
              <button type="button" className="icon" aria-label="Remove aggregate" onClick={() => { setAggregates(aggregates.filter((_a, i) => i !== index)); }}>
                ×
              </button>
            ) : null}
          </span>
        ))}
        <button type="button" className="secondary" onClick={() => { setAggregates([...aggregates, { function: 'count' }]); }}>
          + aggregate
        </button>
        <button type="submit" className="primary" data-testid="draw-aggregate">
          Draw
        </button>
      </form>
      <Status state={state} what="the aggregation" />
      <div className="chart-with-table">
        {chart ? <UPlotChart options={chart.options} data={chart.data} height={200} testId="bar-chart" /> : null}
        {state.status === 'done' ? <ResultTable table={state.value} maxRows={50} testId="aggregate-table" /> : null}
      </div>
    </div>
  );
}

function TimeTab({ dataset, filter, sample }: ChartsPanelProps) {
  const times = dataset.columns.filter((column) => ['timestamp', 'date'].includes(typeKind(column.type)));
  const numeric = dataset.columns.filter((column) => isNumericKind(typeKind(column.type)));
  const splits = dataset.columns.filter((column) => typeKind(column.type) === 'string' || typeKind(column.type) === 'boolean');
  const [column, setColumn] = useState(times[0]?.name ?? '');
  const [every, setEvery] = useState('auto');
  const [fn, setFn] = useState<AggregateFunction>('count');
  const [valueColumn, setValueColumn] = useState(numeric.find((c) => typeKind(c.type) === 'float')?.name ?? numeric[0]?.name ?? '');
  const [split, setSplit] = useState('');
  const [drawn, setDrawn] = useState(false);
  const { state, run } = useRunner<{ table: Table; every: string }>();
  const key = JSON.stringify([column, every, fn, valueColumn, split, filter, sample], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

  const draw = () => {
    if (!column) return;
    run(async (signal) => {
      let interval = every;
      if (interval === 'auto') {
        const { low, high } = await minMax(dataset.name, column, filter, sample, signal);
        interval = low === null || high === null ? '1d' : chooseEvery(high - low, 300);
      }
      const aggregate: Aggregate = fn === 'count' ? { function: 'count', as: 'value' } : { function: fn, column: valueColumn, as: 'value' };
      const table = await client.query(
        dataset.name,
        withView({ bucket: { column, every: interval, as: 'bucket' }, group_by: split ? [split] : undefined, aggregates: [aggregate] }, filter, sample),
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
      return { lines, options: timeOptions(lines.series.map((s) => s.name)), data: [lines.x, ...lines.series.map((s) => s.values)] as [number[], ...(number | null)[][]] };
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
          <select aria-label="Time column" value={column} onChange={(event) => { setColumn(event.target.value); }}>
            {times.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <label>
          every
          <select aria-label="Interval" value={every} onChange={(event) => { setEvery(event.target.value); }}>
            <option value="auto">auto</option>
            {everyChoices.map((choice) => (
              <option key={choice}>{choice}</option>
            ))}
          </select>
        </label>
        <label>
          of
          <select aria-label="Time aggregate" value={fn} onChange={(event) => { setFn(event.target.value as AggregateFunction); }}>
            {aggregateFunctions.filter((f) => f !== 'count_distinct').map((f) => (
              <option key={f}>{f}</option>
            ))}
          </select>
        </label>
        {fn === 'count' ? null : (
          <select aria-label="Time value column" value={valueColumn} onChange={(event) => { setValueColumn(event.target.value); }}>
            {numeric.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        )}
        <label>
          split by
          <select aria-label="Split by" value={split} onChange={(event) => { setSplit(event.target.value); }}>
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

function HistogramTab({ dataset, filter, sample }: ChartsPanelProps) {
  const numeric = dataset.columns.filter((column) => isBinnable(column.type));
  const [column, setColumn] = useState(numeric.find((c) => typeKind(c.type) === 'float')?.name ?? numeric[0]?.name ?? '');
  const [bins, setBins] = useState(40);
  const [drawn, setDrawn] = useState(false);
  const { state, run } = useRunner<{ table: Table; width: number; origin: number }>();
  const key = JSON.stringify([column, bins, filter, sample], (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

  const draw = () => {
    if (!column) return;
    run(async (signal) => {
      const { low, high } = await minMax(dataset.name, column, filter, sample, signal);
      const width = low === null || high === null ? 1 : niceWidth(low, high, bins);
      const origin = binOrigin(low ?? 0, width);
      const table = await client.query(
        dataset.name,
        withView({ bucket: { column, width, origin, as: 'bucket' }, aggregates: [{ function: 'count', as: 'rows' }] }, filter, sample),
        signal,
      );
      return { table, width, origin };
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
      const series = bucketSeries(state.value.table, 'bucket', 'rows');
      const half = state.value.width / 2;
      return {
        options: histogramOptions('rows', state.value.width),
        data: [series.x.map((x) => x + half), series.series[0]?.values ?? []] as [number[], (number | null)[]],
      };
    } catch {
      return null;
    }
  }, [state]);

  if (numeric.length === 0) return <p className="muted">This dataset has no numeric column.</p>;
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
          Column
          <select aria-label="Histogram column" value={column} onChange={(event) => { setColumn(event.target.value); }}>
            {numeric.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <label>
          about
          <select aria-label="Bins" value={bins} onChange={(event) => { setBins(Number(event.target.value)); }}>
            {[10, 20, 40, 80, 160].map((count) => (
              <option key={count} value={count}>
                {count}
              </option>
            ))}
          </select>
          bins
        </label>
        <button type="submit" className="primary" data-testid="draw-histogram">
          Draw
        </button>
      </form>
      <Status state={state} what="the histogram" />
      {state.status === 'done' ? (
        <p className="muted">
          bins of width {state.value.width} from {state.value.origin}
        </p>
      ) : null}
      {chart ? <UPlotChart options={chart.options} data={chart.data} height={200} testId="histogram-chart" /> : null}
    </div>
  );
}

/** Charts over the current view, each computed by the server (group by, buckets), never from raw rows. */
export function ChartsPanel(props: ChartsPanelProps) {
  const [tab, setTab] = useState<Tab>('aggregate');
  const tabs: [Tab, string][] = [
    ['aggregate', 'Group by'],
    ['time', 'Over time'],
    ['histogram', 'Histogram'],
  ];
  return (
    <section className="charts" aria-label="Charts">
      <div className="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className={tab === id ? 'tab active' : 'tab'} onClick={() => { setTab(id); }}>
            {label}
          </button>
        ))}
      </div>
      <div hidden={tab !== 'aggregate'}>
        <AggregateTab {...props} />
      </div>
      <div hidden={tab !== 'time'}>
        <TimeTab {...props} />
      </div>
      <div hidden={tab !== 'histogram'}>
        <HistogramTab {...props} />
      </div>
    </section>
  );
}
