/** Loads data, then reloads it every `intervalMs` until `stopWhen` says the data is final. */
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../api/http';

export interface PollingOptions<T> {
  /** Changing the key drops the data and starts over (e.g. another order id). */
  key: string;
  /** Reload interval; without it the data is loaded once. */
  intervalMs?: number;
  /** When false nothing is loaded (e.g. no operator name yet). */
  enabled?: boolean;
  /** Stop polling once this returns true. */
  stopWhen?: (data: T) => boolean;
}

export interface Polled<T> {
  data: T | undefined;
  /** The last load's error message, cleared by the next successful load. */
  error: string | null;
  /** Reload now (after an action that changed the data). */
  refresh: () => void;
}

interface Loaded<T> {
  key: string;
  data?: T;
  error: string | null;
}

export function usePolling<T>(
  load: (signal: AbortSignal) => Promise<T>,
  options: PollingOptions<T>,
): Polled<T> {
  const { key, intervalMs, enabled = true, stopWhen } = options;
  const [state, setState] = useState<Loaded<T>>({ key, error: null });
  const [generation, setGeneration] = useState(0);

  // The latest callbacks, so a re-render does not restart the polling loop.
  const loadRef = useRef(load);
  const stopRef = useRef(stopWhen);
  useEffect(() => {
    loadRef.current = load;
    stopRef.current = stopWhen;
  });

  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    let timer: number | undefined;
    const run = async () => {
      let stop = intervalMs === undefined;
      try {
        const data = await loadRef.current(controller.signal);
        if (controller.signal.aborted) return;
        setState({ key, data, error: null });
        if (stopRef.current?.(data)) stop = true;
      } catch (err) {
        if (controller.signal.aborted) return;
        setState((previous) => ({
          key,
          data: previous.key === key ? previous.data : undefined,
          error: errorMessage(err),
        }));
      }
      if (!stop) timer = window.setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [key, enabled, intervalMs, generation]);

  const refresh = useCallback(() => setGeneration((n) => n + 1), []);
  const current = enabled && state.key === key;
  return { data: current ? state.data : undefined, error: current ? state.error : null, refresh };
}
