import type { Table } from 'apache-arrow';
import { useEffect, useMemo, useState } from 'react';
import { client } from '../../api/client';
import { binOrigin, niceWidth } from '../../charts/buckets';
import { bucketSeries } from '../../charts/series';
import { UPlotChart, histogramOptions } from '../../charts/UPlotChart';
import { isBinnable, typeKind } from '../../query/columnTypes';
import { withView } from '../../query/viewQuery';
import { useRunner } from '../useRunner';
import { Status, minMax, type ChartProps } from './shared';

/** A histogram of a numeric column from numeric bins (bucket.width). */
export function HistogramChart({ dataset, filter, sample }: ChartProps) {
  const numeric = dataset.columns.filter((column) => isBinnable(column.type));
  const [column, setColumn] = useState(
    numeric.find((c) => typeKind(c.type) === 'float')?.name ?? numeric[0]?.name ?? '',
  );
  const [bins, setBins] = useState(40);
  const [drawn, setDrawn] = useState(false);
  const { state, run } = useRunner<{ table: Table; width: number; origin: number }>();
  const key = JSON.stringify([column, bins, filter, sample], (_k, v: unknown) =>
    typeof v === 'bigint' ? v.toString() : v,
  );

  const draw = () => {
    if (!column) return;
    run(async (signal) => {
      const { low, high } = await minMax(dataset.name, column, filter, sample, signal);
      const width = low === null || high === null ? 1 : niceWidth(low, high, bins);
      const origin = binOrigin(low ?? 0, width);
      const table = await client.query(
        dataset.name,
        withView(
          { bucket: { column, width, origin, as: 'bucket' }, aggregates: [{ function: 'count', as: 'rows' }] },
          filter,
          sample,
        ),
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
          <select
            aria-label="Histogram column"
            value={column}
            onChange={(event) => {
              setColumn(event.target.value);
            }}
          >
            {numeric.map((c) => (
              <option key={c.name}>{c.name}</option>
            ))}
          </select>
        </label>
        <label>
          about
          <select
            aria-label="Bins"
            value={bins}
            onChange={(event) => {
              setBins(Number(event.target.value));
            }}
          >
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
