/**
 * A workspace list that updates itself from the live stream: it subscribes first, loads the
 * first page, then applies the events that came meanwhile and every one after (see
 * liveOrders.ts for which version wins and which rows show while more pages remain). A changed
 * filter starts over; the stream's `epoch` (missed changes) reloads. A failed load keeps the
 * rows it had and tries again shortly. The rows are in the filter's sort, as the server pages it.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { errorMessage } from '../api/http';
import { listWorkspace } from '../api/mes';
import type { WorkspaceEvent, WorkspaceOrder } from '../api/types';
import { addPage, applyChange, fromPage, visibleItems, type ListRules, type LiveList } from './liveOrders';
import { useWorkspaceStream } from './workspaceStream';
import { compareFor, filterKey, isOverdue, matchesFilter, type WorkspaceFilter } from './workspaceFilter';

const RETRY_MS = 3000;
/** The most rows the server gives in one page. */
const MAX_ROWS = 200;

export interface LiveOrdersOptions {
  /** Rows per page. */
  limit: number;
  /** When false nothing is loaded (e.g. no operator chosen yet). */
  enabled?: boolean;
}

export interface LiveOrders {
  /** The rows, sorted; undefined until the first page came. */
  orders: WorkspaceOrder[] | undefined;
  error: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  /** Load again now (after an action, to not depend on the stream alone). */
  refresh: () => void;
}

interface State {
  key: string;
  list?: LiveList<WorkspaceOrder>;
  error: string | null;
}

type Rules = ListRules<WorkspaceOrder>;

/** The stream's snapshot as a list row (snapshots leave `overdue` out; timestamps may say +00:00). */
function toChange(event: WorkspaceEvent) {
  return { position: event.id, order: { ...event.order, overdue: isOverdue(event.order) } };
}

export function useLiveOrders(filter: WorkspaceFilter, options: LiveOrdersOptions): LiveOrders {
  const { limit, enabled = true } = options;
  const key = `${filterKey(filter)}|${limit}`;
  const { ready, epoch, subscribe } = useWorkspaceStream();
  const [state, setState] = useState<State>({ key, error: null });
  const [generation, setGeneration] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);

  // The latest filter and order, read by the stream listener without resubscribing.
  const compare = compareFor(filter.sort);
  const rules = useRef<Rules>({ matches: (o, now) => matchesFilter(o, filter, now), compare });
  const filterRef = useRef(filter);
  // How many rows a reload asks for: as many as "Load more" brought, so a reload (after an
  // action, a missed change or an error) does not fold the list back to its first page.
  const depth = useRef({ key, rows: limit });
  useEffect(() => {
    rules.current = { matches: (o, now) => matchesFilter(o, filter, now), compare };
    filterRef.current = filter;
  });

  useEffect(() => {
    if (!ready || !enabled) return;
    if (depth.current.key !== key) depth.current = { key, rows: limit };
    const controller = new AbortController();
    let retry: number | undefined;
    // Events that arrive before the page are kept and applied to it.
    let buffer: WorkspaceEvent[] | null = [];
    const apply = (list: LiveList<WorkspaceOrder>, events: WorkspaceEvent[]) =>
      events.reduce((l, e) => applyChange(l, toChange(e), rules.current), list);
    const unsubscribe = subscribe((event) => {
      if (buffer) buffer.push(event);
      else setState((s) => (s.key === key && s.list ? { ...s, list: apply(s.list, [event]) } : s));
    });
    listWorkspace(filterRef.current, depth.current.rows, undefined, controller.signal).then(
      (page) => {
        const list = apply(fromPage(page), buffer ?? []);
        buffer = null;
        setState({ key, list, error: null });
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        buffer = null;
        setState((s) => ({ key, list: s.key === key ? s.list : undefined, error: errorMessage(err) }));
        retry = window.setTimeout(() => setGeneration((n) => n + 1), RETRY_MS);
      },
    );
    return () => {
      controller.abort();
      window.clearTimeout(retry);
      unsubscribe();
    };
  }, [key, limit, ready, enabled, epoch, generation, subscribe]);

  const current = enabled && state.key === key ? state : undefined;
  const list = current?.list;
  const cursor = list?.nextCursor ?? null;

  const loadMore = useCallback(() => {
    if (!cursor) return;
    setLoadingMore(true);
    listWorkspace(filterRef.current, limit, cursor).then(
      (page) => {
        if (depth.current.key === key)
          depth.current.rows = Math.min(MAX_ROWS, depth.current.rows + page.items.length);
        setState((s) => (s.key === key && s.list ? { ...s, list: addPage(s.list, page), error: null } : s));
        setLoadingMore(false);
      },
      (err: unknown) => {
        setState((s) => (s.key === key ? { ...s, error: errorMessage(err) } : s));
        setLoadingMore(false);
      },
    );
  }, [cursor, key, limit]);

  const refresh = useCallback(() => setGeneration((n) => n + 1), []);
  const orders = useMemo(() => (list ? visibleItems(list, compare) : undefined), [list, compare]);

  return {
    orders,
    error: current?.error ?? null,
    hasMore: cursor !== null,
    loadingMore,
    loadMore,
    refresh,
  };
}
