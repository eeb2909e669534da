/** Tracking: one order, polled every second until it is final, with its price and timeline. */
import { useEffect, useState, type FormEvent } from 'react';
import { getOrder } from '../api/shop';
import type { HistoryEntry, Order } from '../api/types';
import { ErrorMessage } from '../components/ErrorMessage';
import { PriceDetails } from '../components/PriceDetails';
import { Timeline } from '../components/Timeline';
import { formatDateTime } from '../lib/dates';
import { navigate, trackHash } from '../lib/router';
import { isAborted, isTerminal, STATUS_LABELS } from '../lib/status';
import { STORAGE_KEYS, writeStored } from '../lib/storage';
import { usePolling } from '../lib/usePolling';

export function TrackingPage({ orderId }: { orderId: string | null }) {
  return orderId ? <OrderTracking orderId={orderId} /> : <TrackLookup />;
}

function TrackLookup() {
  const [id, setId] = useState('');
  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (id.trim()) navigate(trackHash(id.trim()));
  }
  return (
    <section className="panel">
      <h2>Track an order</h2>
      <form className="inline-form" onSubmit={onSubmit}>
        <label htmlFor="track-id">Order id</label>
        <input
          id="track-id"
          data-testid="track-id"
          value={id}
          onChange={(event) => setId(event.target.value)}
        />
        <button type="submit" data-testid="track-submit">
          Track
        </button>
      </form>
    </section>
  );
}

function OrderTracking({ orderId }: { orderId: string }) {
  const { data: order, error } = usePolling((signal) => getOrder(orderId, signal), {
    key: orderId,
    intervalMs: 1000,
    stopWhen: (o) => isTerminal(o.status),
  });

  useEffect(() => writeStored(STORAGE_KEYS.lastOrderId, orderId), [orderId]);

  return (
    <section className="panel">
      <ErrorMessage message={error} testId="track-error" />
      {!order && !error && <p className="muted">Loading the order…</p>}
      {order && <OrderDetails order={order} />}
    </section>
  );
}

function OrderDetails({ order }: { order: Order }) {
  const history = order.history ?? [];
  return (
    <>
      <h2>
        Order <span data-testid="order-number">{order.number}</span>
      </h2>
      <p className="status-line">
        Status:{' '}
        <strong className={`badge badge-${order.status.toLowerCase()}`} data-testid="order-status">
          {order.status}
        </strong>{' '}
        <span className="muted">{STATUS_LABELS[order.status]}</span>
        {!isTerminal(order.status) && <span className="muted small"> · updating live</span>}
      </p>
      {isAborted(order.status) && <AbortedBanner status={order.status} history={history} />}
      <p className="muted small">
        {order.kind === 'custom' ? 'Custom piece' : `Catalog ${order.catalogSku ?? ''}`}
        {order.alloy && ` · ${order.alloy}`}
        {order.quantity !== undefined && ` · quantity ${order.quantity}`}
        {order.createdAt && ` · ordered ${formatDateTime(order.createdAt)}`}
      </p>
      <PriceDetails order={order} />
      <h3>Progress</h3>
      <Timeline kind={order.kind} status={order.status} history={history} />
    </>
  );
}

function AbortedBanner({
  status,
  history,
}: {
  status: 'CANCELLED' | 'REJECTED';
  history: readonly HistoryEntry[];
}) {
  const entry = history.findLast((e) => e.status === status);
  return (
    <div className="banner" role="alert" data-testid="order-aborted" data-aborted-status={status}>
      <strong>This order was {status === 'CANCELLED' ? 'cancelled' : 'rejected'}.</strong>
      {entry && (
        <div className="small">
          {formatDateTime(entry.occurredAt)} · by {entry.actor}
          {entry.previousStatus && ` · while ${STATUS_LABELS[entry.previousStatus].toLowerCase()}`}
          {entry.reason && ` · reason: ${entry.reason}`}
        </div>
      )}
    </div>
  );
}
