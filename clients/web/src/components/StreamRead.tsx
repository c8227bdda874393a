import { useEffect, useRef, useState } from 'react';
import { client } from '../api/client';
import { describeError } from '../api/problem';
import type { QueryProgress } from '../api/types';
import type { StreamProgress } from '../arrow/stream';
import { formatBytes, formatCount, formatMilliseconds } from '../arrow/format';
import { StreamedRowSource } from '../grid/streamedSource';
import type { RowsRequest } from '../query/viewQuery';

/** A read of the whole view into the browser; the grid shows its rows as they arrive. */
export interface StreamState {
  source: StreamedRowSource;
  status: 'reading' | 'done' | 'cancelled' | 'failed' | 'stopped';
  progress: StreamProgress;
  expectedRows: number | null;
  queryId: string | null;
  server: QueryProgress | null;
  error: string | null;
}

/** Past this many bytes a read into the browser stops (use a download for more). */
export const streamByteBudget = 1024 * 1024 * 1024;

export function useStreamRead(dataset: string) {
  const [state, setState] = useState<StreamState | null>(null);
  const controllerRef = useRef<AbortController | null>(null);
  const queryIdRef = useRef<string | null>(null);

  useEffect(() => () => controllerRef.current?.abort(), []);

  const update = (change: Partial<StreamState>) => {
    setState((previous) => (previous ? { ...previous, ...change } : previous));
  };

  const start = (request: RowsRequest, expectedRows: number | null) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    queryIdRef.current = null;
    const columnNames = request.columns ?? [];
    const source = new StreamedRowSource(columnNames);
    const initial: StreamState = {
      source,
      status: 'reading',
      progress: { rows: 0, bytes: 0, batches: 0, elapsedMs: 0 },
      expectedRows,
      queryId: null,
      server: null,
      error: null,
    };
    setState(initial);
    let frame = 0;
    const run = { budgetHit: false, queryId: null as string | null, progress: initial.progress };
    const report = (progress: StreamProgress) => {
      run.progress = progress;
      if (progress.bytes > streamByteBudget && !run.budgetHit) {
        run.budgetHit = true;
        controller.abort(new DOMException('budget', 'AbortError'));
      }
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        update({ progress: { ...progress } });
      });
    };
    let poll: ReturnType<typeof setInterval> | null = null;
    const pollServer = (queryId: string) => {
      void client.queryProgress(queryId).then((server) => {
        if (server) update({ server });
      });
    };
    // After the read ends, ask the server a few times until it too says the read ended.
    const settle = async (queryId: string) => {
      for (let attempt = 0; attempt < 8; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
        const server = await client.queryProgress(queryId).catch(() => null);
        if (server) update({ server });
        if (!server || server.state !== 'running') return;
      }
    };
    void (async () => {
      try {
        const running = await client.streamRows(dataset, request, {
          signal: controller.signal,
          keepBatches: false,
          onBatch: (batch, progress) => {
            source.append(batch);
            report(progress);
          },
          onBytes: report,
        });
        const queryId = running.queryId;
        run.queryId = queryId;
        queryIdRef.current = queryId;
        if (queryId) {
          update({ queryId });
          poll = setInterval(() => {
            pollServer(queryId);
          }, 500);
        }
        const result = await running.result;
        update({ status: 'done', progress: { ...result.progress } });
      } catch (error) {
        if (controller.signal.aborted) {
          update({
            status: run.budgetHit ? 'stopped' : 'cancelled',
            error: run.budgetHit ? `Stopped at ${formatBytes(streamByteBudget)}: download the view instead.` : null,
            progress: { ...run.progress },
          });
        } else {
          update({ status: 'failed', error: describeError(error) });
        }
      } finally {
        if (poll) clearInterval(poll);
        const queryId = run.queryId;
        if (queryId) void settle(queryId);
      }
    })();
  };

  // Aborting the fetch is enough (the server notices the closed connection); the
  // DELETE makes the server stop at once even if a proxy keeps the connection open.
  const cancel = () => {
    const queryId = queryIdRef.current;
    if (queryId) void client.cancelQuery(queryId);
    controllerRef.current?.abort();
  };

  const close = () => {
    controllerRef.current?.abort();
    state?.source.stop();
    setState(null);
  };

  return { state, start, cancel, close };
}

export function StreamBar({
  state,
  onCancel,
  onClose,
}: {
  state: StreamState;
  onCancel: () => void;
  onClose: () => void;
}) {
  const { progress, expectedRows, status } = state;
  const seconds = Math.max(progress.elapsedMs, 1) / 1000;
  const fraction = expectedRows ? Math.min(1, progress.rows / Math.max(1, expectedRows)) : undefined;
  const words: Record<StreamState['status'], string> = {
    reading: 'Reading into the browser',
    done: 'Read into the browser',
    cancelled: 'Cancelled',
    failed: 'Failed',
    stopped: 'Stopped',
  };
  return (
    <div className={`stream-bar ${status}`} data-testid="stream-bar" data-status={status} data-rows={progress.rows}>
      <strong>{words[status]}</strong>
      <progress max={1} value={fraction ?? (status === 'reading' ? undefined : 1)} />
      <span data-testid="stream-progress">
        {formatCount(progress.rows)}
        {expectedRows !== null ? ` of ${formatCount(expectedRows)}` : ''} rows · {formatBytes(progress.bytes)} ·{' '}
        {formatMilliseconds(progress.elapsedMs)} · {formatBytes(progress.bytes / seconds)}/s
      </span>
      {state.server ? (
        <span className="muted" data-testid="stream-server">
          server: {state.server.state}, {formatCount(state.server.rows_sent)} rows sent
        </span>
      ) : null}
      {state.error ? <span className="error">{state.error}</span> : null}
      {status === 'reading' ? (
        <button type="button" className="danger" onClick={onCancel} data-testid="stream-cancel">
          Cancel
        </button>
      ) : (
        <button type="button" className="secondary" onClick={onClose} data-testid="stream-close">
          Back to server paging
        </button>
      )}
    </div>
  );
}
