import { useCallback, useEffect, useRef, useState } from 'react';

export type RunState<T> =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; value: T; elapsedMs: number }
  | { status: 'failed'; error: unknown };

/** Runs one async job at a time; starting another aborts the one before. */
export function useRunner<T>() {
  const [state, setState] = useState<RunState<T>>({ status: 'idle' });
  const controllerRef = useRef<AbortController | null>(null);

  useEffect(() => () => controllerRef.current?.abort(), []);

  const run = useCallback((job: (signal: AbortSignal) => Promise<T>) => {
    controllerRef.current?.abort();
    const controller = new AbortController();
    controllerRef.current = controller;
    const started = performance.now();
    setState({ status: 'running' });
    job(controller.signal).then(
      (value) => {
        if (!controller.signal.aborted) setState({ status: 'done', value, elapsedMs: performance.now() - started });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ status: 'failed', error });
      },
    );
  }, []);

  const reset = useCallback(() => {
    controllerRef.current?.abort();
    setState({ status: 'idle' });
  }, []);

  return { state, run, reset };
}
