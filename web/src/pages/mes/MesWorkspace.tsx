/**
 * The operator workspace: who I am, live counts, filters, the live queue (take), my orders
 * (advance) and every order the filters select; each order's card opens below its row. The lists
 * follow the live stream, so new, taken and assigned orders show up without a reload.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { advanceOrder, claimNext, claimOrder, getCounts, listOperators } from '../../api/mes';
import type { Order, OrderStatus, WorkspaceOrder } from '../../api/types';
import { ErrorMessage } from '../../components/ErrorMessage';
import { replaceHashQuery } from '../../lib/router';
import { ADVANCE_LABELS } from '../../lib/status';
import { STORAGE_KEYS, useStoredState } from '../../lib/storage';
import { useAction } from '../../lib/useAction';
import { useLiveOrders } from '../../lib/useLiveOrders';
import { usePolling } from '../../lib/usePolling';
import { useQueueNotifications } from '../../lib/useQueueNotifications';
import { useShortcuts } from '../../lib/useShortcuts';
import { filterFromQuery, filterToQuery, type UrlFilter } from '../../lib/workspaceFilter';
import { useOnStreamChange, useWorkspaceStream } from '../../lib/workspaceStream';
import { FiltersPanel } from './FiltersPanel';
import { NotifyToggle } from './NotifyToggle';
import { OperatorOrdersTable } from './OperatorOrdersTable';
import { OperatorPicker } from './OperatorPicker';
import { OrdersTable } from './OrdersTable';
import { QueueTable } from './QueueTable';
import { ShortcutsHelp } from './ShortcutsHelp';
import { StatusCounts } from './StatusCounts';

const TAKE_NEXT = 'take-next';
/** My orders in one page: more than an operator has on hand (their capacity is a few). */
const MINE_LIMIT = 200;
/** A page of the queue and of All orders ("Load more" for the next). */
const PAGE = 50;

export function MesWorkspace({ query }: { query: string }) {
  const urlFilter = useMemo(() => filterFromQuery(new URLSearchParams(query)), [query]);
  const setFilter = (filter: UrlFilter) => replaceHashQuery(filterToQuery(filter));
  const narrow = { channel: urlFilter.channel, overdue: urlFilter.overdue, q: urlFilter.q };
  const { epoch } = useWorkspaceStream();

  const operators = usePolling(listOperators, { key: 'operators' });
  useOnStreamChange(operators.refresh, 1000); // on-hand numbers change with every claim
  const [operatorId, setOperatorId] = useStoredState(STORAGE_KEYS.operator);
  const me = operators.data?.find((o) => o.id === operatorId && o.active);

  const counts = usePolling(getCounts, { key: 'counts' });
  useOnStreamChange(counts.refresh, 250);
  const refreshCounts = counts.refresh;
  useEffect(() => {
    if (epoch > 0) refreshCounts(); // changes were missed: the counts may be off too
  }, [epoch, refreshCounts]);

  // The queue: the longest-waiting approval first, paged by the server (its partial index).
  const queue = useLiveOrders(
    { ...narrow, scope: 'active', status: ['MANUFACTURING_APPROVED'], operator: 'none', sort: 'approval' },
    { limit: PAGE },
  );
  const mine = useLiveOrders(
    { ...narrow, scope: 'active', operator: me?.id, sort: 'deadline' },
    { limit: MINE_LIMIT, enabled: me !== undefined },
  );
  const all = useLiveOrders(urlFilter, { limit: PAGE });

  const action = useAction();
  const [notice, setNotice] = useState<string | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [openId, setOpenId] = useState<string | null>(null);
  const [allOpenId, setAllOpenId] = useState<string | null>(null);
  const [help, setHelp] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const [notify, setNotify] = useStoredState(STORAGE_KEYS.notifyQueue);
  useQueueNotifications(me, notify === '1', setSelectedId);

  async function act(busyId: string, call: (operator: string) => Promise<Order>, done: (o: Order) => string) {
    if (action.busy !== null) return;
    setNotice(null);
    if (!me) {
      action.setError('Choose who you are first (the “I am” list).');
      return;
    }
    const order = await action.run(busyId, () => call(me.id));
    if (order) setNotice(done(order));
    // The stream brings the change too; reloading keeps the lists right if it is interrupted.
    queue.refresh();
    mine.refresh();
  }
  const took = (o: Order) => `You took order ${o.number}.`;
  const take = (order: WorkspaceOrder) => void act(order.id, (op) => claimOrder(order.id, op), took);
  const takeNext = () => void act(TAKE_NEXT, claimNext, took);
  const advance = (order: WorkspaceOrder) =>
    void act(
      order.id,
      (op) => advanceOrder(order.id, op),
      (o) => `Order ${o.number} is now ${o.status}.`,
    );
  const toggle = (order: WorkspaceOrder) => setOpenId((id) => (id === order.id ? null : order.id));

  // Keyboard selection runs through the queue, then my orders.
  const rows = useMemo(() => [...(queue.orders ?? []), ...(mine.orders ?? [])], [queue.orders, mine.orders]);
  const selected = rows.find((o) => o.id === selectedId);
  const queued = selected !== undefined && (queue.orders ?? []).includes(selected);
  const move = (delta: 1 | -1) => {
    if (rows.length === 0) return;
    const at = rows.findIndex((o) => o.id === selectedId);
    const next =
      at < 0 ? (delta > 0 ? 0 : rows.length - 1) : Math.min(rows.length - 1, Math.max(0, at + delta));
    setSelectedId(rows[next]!.id);
  };
  useEffect(() => {
    if (!selectedId) return;
    document
      .querySelector(
        `tr[data-order-id="${selectedId}"]:is([data-testid="queue-row"], [data-testid="operator-row"])`,
      )
      ?.scrollIntoView({ block: 'nearest' });
  }, [selectedId]);
  useShortcuts({
    j: () => move(1),
    k: () => move(-1),
    c: () => selected && queued && take(selected),
    a: () => selected && !queued && ADVANCE_LABELS[selected.status] && advance(selected),
    n: takeNext,
    o: () => selected && toggle(selected),
    '/': () => searchRef.current?.focus(),
    '?': () => setHelp((shown) => !shown),
    Escape: () => {
      if (help) setHelp(false);
      else if (openId) setOpenId(null);
      else setSelectedId(null);
    },
  });

  const pickStatus = (status: OrderStatus) =>
    setFilter({ ...urlFilter, status: urlFilter.status?.includes(status) ? undefined : [status] });

  return (
    <>
      <section className="panel">
        <div className="panel-head">
          <h2>Operator</h2>
          <div className="head-actions">
            <NotifyToggle on={notify === '1'} onChange={(on) => setNotify(on ? '1' : '')} />
            <button
              type="button"
              className="secondary"
              data-testid="shortcuts-button"
              aria-expanded={help}
              onClick={() => setHelp((shown) => !shown)}
            >
              Shortcuts (?)
            </button>
          </div>
        </div>
        <OperatorPicker operators={operators.data} operatorId={operatorId} onPick={setOperatorId} />
        <ErrorMessage message={operators.error} testId="operators-error" />
        <ErrorMessage message={action.error} testId="mes-error" />
        {notice && (
          <p className="notice" role="status" data-testid="mes-notice">
            {notice}
          </p>
        )}
        {help && <ShortcutsHelp onClose={() => setHelp(false)} />}
      </section>
      <section className="panel">
        <h2>Orders by status</h2>
        <ErrorMessage message={counts.error} testId="counts-error" />
        <StatusCounts counts={counts.data} selected={urlFilter.status} onPick={pickStatus} />
        <FiltersPanel filter={urlFilter} onChange={setFilter} searchRef={searchRef} />
      </section>
      <section className="panel" data-testid="queue-panel" data-loaded={queue.orders ? 'true' : 'false'}>
        <div className="panel-head">
          <h2>
            Queue{' '}
            {queue.orders && (
              <span className="muted small">
                ({queue.orders.length}
                {queue.hasMore && '+'})
              </span>
            )}
          </h2>
          <button type="button" data-testid="take-next" disabled={action.busy !== null} onClick={takeNext}>
            {action.busy === TAKE_NEXT ? 'Taking…' : 'Take next'}
          </button>
        </div>
        <ErrorMessage message={queue.error} testId="queue-error" />
        {queue.orders ? (
          <QueueTable
            orders={queue.orders}
            skills={me?.skills}
            busy={action.busy}
            selectedId={selectedId}
            openId={openId}
            onSelect={(o) => setSelectedId(o.id)}
            onToggle={toggle}
            onTake={take}
          />
        ) : (
          !queue.error && <p className="muted">Loading…</p>
        )}
        {queue.hasMore && (
          <button
            type="button"
            className="secondary more"
            data-testid="queue-more"
            disabled={queue.loadingMore}
            onClick={queue.loadMore}
          >
            {queue.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        )}
      </section>
      <section className="panel" data-testid="mine-panel" data-loaded={mine.orders ? 'true' : 'false'}>
        <h2>My orders</h2>
        {!me && <p className="muted">Choose who you are to see your orders.</p>}
        <ErrorMessage message={mine.error} testId="operator-orders-error" />
        {me && mine.orders && (
          <OperatorOrdersTable
            orders={mine.orders}
            busy={action.busy}
            selectedId={selectedId}
            openId={openId}
            onSelect={(o) => setSelectedId(o.id)}
            onToggle={toggle}
            onAdvance={advance}
          />
        )}
      </section>
      <section className="panel" data-testid="orders-panel" data-loaded={all.orders ? 'true' : 'false'}>
        <h2>All orders</h2>
        <ErrorMessage message={all.error} testId="orders-error" />
        {all.orders ? (
          <OrdersTable
            orders={all.orders}
            openId={allOpenId}
            onToggle={(o) => setAllOpenId((id) => (id === o.id ? null : o.id))}
          />
        ) : (
          !all.error && <p className="muted">Loading…</p>
        )}
        {all.hasMore && (
          <button
            type="button"
            className="secondary more"
            data-testid="orders-more"
            disabled={all.loadingMore}
            onClick={all.loadMore}
          >
            {all.loadingMore ? 'Loading…' : 'Load more'}
          </button>
        )}
      </section>
    </>
  );
}
