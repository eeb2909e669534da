/** Runs one button action at a time, remembering which one is busy and the error it ended with. */
import { useCallback, useState } from 'react';
import { errorMessage } from '../api/http';

export interface Action {
  /** The id of the running action (e.g. an order id), or null. */
  busy: string | null;
  error: string | null;
  setError: (message: string | null) => void;
  /** Resolves to the action's result, or undefined when it failed (the error is then set). */
  run: <T>(id: string, action: () => Promise<T>) => Promise<T | undefined>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = useCallback(async <T>(id: string, action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(id);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setError(errorMessage(err));
      return undefined;
    } finally {
      setBusy(null);
    }
  }, []);

  return { busy, error, setError, run };
}
