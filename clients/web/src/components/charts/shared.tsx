import { ColumnCells } from '../../arrow/columns';
import { client } from '../../api/client';
import { ProblemError, describeError } from '../../api/problem';
import type { DatasetInfo } from '../../api/types';
import { formatMilliseconds } from '../../arrow/format';
import type { FilterNode } from '../../query/filter';
import { withView, type Aggregate, type AggregateFunction, type SampleSpec } from '../../query/viewQuery';
import type { RunState } from '../useRunner';

/** What every chart works on: the dataset and the grid's current filter and sample. */
export interface ChartProps {
  dataset: DatasetInfo;
  filter: FilterNode | undefined;
  sample: SampleSpec | null;
}

export const aggregateFunctions: AggregateFunction[] = [
  'count',
  'count_distinct',
  'sum',
  'mean',
  'min',
  'max',
  'stddev',
];

export function aggregateName(aggregate: Aggregate): string {
  return aggregate.function === 'count' && !aggregate.column
    ? 'row_count'
    : `${aggregate.function}_${aggregate.column ?? 'rows'}`;
}

export function needsNumber(fn: AggregateFunction): boolean {
  return fn === 'sum' || fn === 'mean' || fn === 'stddev';
}

function bucketsUnsupported(error: unknown): boolean {
  return error instanceof ProblemError && error.mentionsUnknownMember('bucket');
}

export function Status<T>({ state, what }: { state: RunState<T>; what: string }) {
  if (state.status === 'running')
    return (
      <p className="muted" data-testid="chart-status">
        Running {what} on the server…
      </p>
    );
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
  if (state.status === 'done')
    return (
      <p className="muted" data-testid="chart-status">
        Computed on the server in {formatMilliseconds(state.elapsedMs)}.
      </p>
    );
  return null;
}

export async function minMax(
  dataset: string,
  column: string,
  filter: FilterNode | undefined,
  sample: SampleSpec | null,
  signal: AbortSignal,
) {
  const table = await client.query(
    dataset,
    withView(
      {
        aggregates: [
          { function: 'min', column, as: 'low' },
          { function: 'max', column, as: 'high' },
        ],
      },
      filter,
      sample,
    ),
    signal,
  );
  const [low, high] = ColumnCells.ofTable(table).map((cells) => cells.number(0));
  return { low: low ?? null, high: high ?? null };
}
