import type { Table } from 'apache-arrow';
import { useEffect, useMemo, useState } from 'react';
import { client } from '../../api/client';
import { categorySeries } from '../../charts/series';
import { UPlotChart, barOptions } from '../../charts/UPlotChart';
import { isComparable, isNumericKind, typeKind } from '../../query/columnTypes';
import { withView, type Aggregate, type AggregateFunction } from '../../query/viewQuery';
import { ResultTable } from '../ResultTable';
import { useRunner } from '../useRunner';
import { Status, aggregateFunctions, aggregateName, needsNumber, type ChartProps } from './shared';

/** Group by + aggregates, drawn as bars of the first aggregate (top 50 groups). */
export function AggregateChart({ dataset, filter, sample }: ChartProps) {
  const groupable = dataset.columns.filter((column) => isComparable(column.type));
  const numeric = dataset.columns.filter((column) => isNumericKind(typeKind(column.type)));
  const [groupBy, setGroupBy] = useState<string[]>(() => {
    const preferred = groupable.find((column) => typeKind(column.type) === 'string') ?? groupable[0];
    return preferred ? [preferred.name] : [];
  });
  const [aggregates, setAggregates] = useState<Aggregate[]>(() => {
    const list: Aggregate[] = [{ function: 'count' }];
    if (numeric[0] && numeric.length > 1)
      list.push({ function: 'mean', column: (numeric.find((c) => typeKind(c.type) === 'float') ?? numeric[0]).name });
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
  const bodyKey = JSON.stringify(body, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value,
  );

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
      return {
        options: barOptions(categories.labels, firstName),
        data: [categories.labels.map((_l, i) => i), categories.values] as [number[], (number | null)[]],
      };
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
          <select
            aria-label="Group by"
            value={groupBy[0] ?? ''}
            onChange={(event) => {
              setGroup(0, event.target.value);
            }}
          >
            {groupable.map((column) => (
              <option key={column.name} value={column.name}>
                {column.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          then
          <select
            aria-label="Then group by"
            value={groupBy[1] ?? ''}
            onChange={(event) => {
              setGroup(1, event.target.value);
            }}
          >
            <option value="">(none)</option>
            {groupable
              .filter((column) => column.name !== groupBy[0])
              .map((column) => (
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
                const column =
                  fn === 'count'
                    ? undefined
                    : (aggregate.column ?? (needsNumber(fn) ? numeric[0]?.name : dataset.columns[0]?.name));
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
              <button
                type="button"
                className="icon"
                aria-label="Remove aggregate"
                onClick={() => {
                  setAggregates(aggregates.filter((_a, i) => i !== index));
                }}
              >
                ×
              </button>
            ) : null}
          </span>
        ))}
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setAggregates([...aggregates, { function: 'count' }]);
          }}
        >
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
