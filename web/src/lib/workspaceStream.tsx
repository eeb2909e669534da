/**
 * One live connection to the MES (`GET /api/mes/workspace/stream`, server-sent events) shared by
 * every list on the page. The lists wait for `ready` (the first `hello`), so a list loaded after
 * it misses no change; `epoch` goes up when the server says changes were missed (`reset`: the
 * position to resume from was pruned), and the lists then reload.
 *
 * Every event has an id, `hello` too (the stream's starting position), so EventSource always
 * has a Last-Event-ID: it reconnects by itself, sends it, and the server replays what was missed,
 * also when no change came before the connection dropped. When it gives up (an error status
 * closes it for good), a new one is opened after a pause with `?lastEventId=` of the last id seen.
 */
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { streamUrl } from '../api/mes';
import type { WorkspaceEvent } from '../api/types';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface WorkspaceStream {
  state: StreamState;
  /** True once the first `hello` came: lists may load. */
  ready: boolean;
  /** Goes up when changes may have been missed: reload. */
  epoch: number;
  /** Hears every `added` / `changed` event in stream order; returns the unsubscribe. */
  subscribe: (listener: (event: WorkspaceEvent) => void) => () => void;
}

const RETRY_MS = 2000;

const StreamContext = createContext<WorkspaceStream | null>(null);

function parse<T>(message: MessageEvent): T | undefined {
  try {
    return JSON.parse(String(message.data)) as T;
  } catch {
    return undefined;
  }
}

export function WorkspaceStreamProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<StreamState>('connecting');
  const [ready, setReady] = useState(false);
  const [epoch, setEpoch] = useState(0);
  const listeners = useRef(new Set<(event: WorkspaceEvent) => void>());

  useEffect(() => {
    let source: EventSource | undefined;
    let retry: number | undefined;
    let lastId: number | undefined;
    let closed = false;

    // The id EventSource itself would resume from (every event has one), for a new EventSource.
    const remember = (message: MessageEvent) => {
      if (/^\d+$/.test(message.lastEventId)) lastId = Number(message.lastEventId);
    };

    const open = () => {
      const es = new EventSource(streamUrl(lastId));
      source = es;
      es.addEventListener('hello', (message) => {
        remember(message);
        setState('live');
        setReady(true);
      });
      const onChange = (message: MessageEvent) => {
        remember(message);
        const event = parse<WorkspaceEvent>(message);
        if (event) for (const listener of listeners.current) listener(event);
      };
      es.addEventListener('added', onChange);
      es.addEventListener('changed', onChange);
      es.addEventListener('reset', (message) => {
        remember(message);
        setEpoch((n) => n + 1);
      });
      es.onerror = () => {
        if (closed) return;
        setState('reconnecting');
        if (es.readyState === EventSource.CLOSED) {
          window.clearTimeout(retry);
          retry = window.setTimeout(open, RETRY_MS);
        }
      };
    };
    open();
    return () => {
      closed = true;
      window.clearTimeout(retry);
      source?.close();
    };
  }, []);

  const subscribe = useCallback((listener: (event: WorkspaceEvent) => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const value = useMemo<WorkspaceStream>(
    () => ({ state, ready, epoch, subscribe }),
    [state, ready, epoch, subscribe],
  );
  return <StreamContext.Provider value={value}>{children}</StreamContext.Provider>;
}

export function useWorkspaceStream(): WorkspaceStream {
  const stream = useContext(StreamContext);
  if (!stream) throw new Error('useWorkspaceStream needs a WorkspaceStreamProvider above it');
  return stream;
}

/** Calls `onChange` after stream events, at most once per `intervalMs` (a count or list to reload). */
export function useOnStreamChange(onChange: () => void, intervalMs = 300): void {
  const { subscribe } = useWorkspaceStream();
  const latest = useRef(onChange);
  useEffect(() => {
    latest.current = onChange;
  });
  useEffect(() => {
    let timer: number | undefined;
    const unsubscribe = subscribe(() => {
      if (timer !== undefined) return;
      timer = window.setTimeout(() => {
        timer = undefined;
        latest.current();
      }, intervalMs);
    });
    return () => {
      unsubscribe();
      window.clearTimeout(timer);
    };
  }, [subscribe, intervalMs]);
}
