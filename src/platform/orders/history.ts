import type { Envelope } from '../../contracts/envelope.js';
import { EVENTS, type EventPayload, type EventType } from '../../contracts/events.js';
import {
  assertTransition,
  isForward,
  type OrderStatus,
  type ServiceName,
} from '../../contracts/order-status.js';
import type { Queryable } from '../db/types.js';
import { OUTBOX_TAG, outboxInsert } from '../messaging/outbox.js';
import { statusChanged } from '../telemetry/status-change.js';
import { linkOutermostActiveSpan, tagOrderOnActiveSpans } from '../telemetry/order-id-processor.js';
import { ORDER_ID_ATTR } from '../telemetry/order-context.js';
import { trace } from '@opentelemetry/api';
import { contextFromTraceparent, currentTraceparent } from '../telemetry/trace-context.js';

export interface HistoryEntry {
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  actor: string;
  source: string;
  occurredAt: string;
}

/**
 * A status change this service owns: checks the move against the shared state machine, then
 * writes the history row and the event into the outbox, in the caller's transaction (where the
 * caller also updates its own order row). Returns the event's message id.
 */
export async function recordTransition<T extends EventType>(
  q: Queryable,
  service: ServiceName,
  change: {
    orderId: string;
    from: OrderStatus | null;
    type: T;
    payload: EventPayload<T>;
    details?: unknown;
    /** When the order entered `from`, for a service that keeps no history row of it (pricing). */
    since?: string;
  },
): Promise<string> {
  const to = EVENTS[change.type].status;
  if (change.from !== null) assertTransition(change.orderId, change.from, to, service);
  // A request that learns its order only now (creating it, taking the next from the queue):
  // tag its spans before the writes.
  tagOrderOnActiveSpans(change.orderId);
  const traceparent = currentTraceparent();
  const out = outboxInsert(
    service,
    {
      type: change.type,
      orderId: change.orderId,
      payload: change.payload,
      ...(traceparent ? { traceparent } : {}),
    },
    9,
  );
  // One round trip for both rows; the history row and the event share the event's timestamp.
  // It also reads when the order entered its previous status, for the log line and the stage
  // duration, and the trace of its latest step here (the statement's snapshot does not see the
  // row it inserts, only earlier ones). The order's rows are read by its id first (OFFSET 0 keeps
  // them apart from the ORDER BY … LIMIT 1): with a B-tree on occurred_at, PostgreSQL walked it
  // backwards looking for this order, and for a new order, with no row yet, that was every row of
  // the table: 5-12 ms per transition at 23,000 rows. The time index is BRIN now (migration 0005)
  // and cannot be walked in order, but the fence keeps any ordered index from bringing it back.
  const r = await q.query<{ since: Date | null; previous_trace: string | null }>(
    `WITH history AS (
       INSERT INTO order_history (order_id, status, previous_status, actor, source, occurred_at, details, traceparent)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8))
     ${out.sql}
     RETURNING (SELECT h.occurred_at FROM order_history h WHERE h.order_id = $1 AND h.status = $3) AS since,
       (SELECT h.traceparent
        FROM (SELECT traceparent, occurred_at, id FROM order_history
              WHERE order_id = $1 AND traceparent IS NOT NULL OFFSET 0) h
        ORDER BY h.occurred_at DESC, h.id DESC LIMIT 1) AS previous_trace`,
    [
      change.orderId,
      to,
      change.from,
      change.payload.actor,
      service,
      out.occurredAt,
      JSON.stringify(change.details ?? null),
      traceparent ?? null,
      ...out.params,
    ],
  );
  q.tag?.(OUTBOX_TAG);
  linkToPreviousStep(change.orderId, r.rows[0]?.previous_trace ?? null);
  trace.getActiveSpan()?.addEvent('order.status_changed', {
    [ORDER_ID_ATTR]: change.orderId,
    'order.status.old': change.from ?? '',
    'order.status.new': to,
  });
  const payload = change.payload as { actor: string; channel?: string; partnerId?: string };
  const since = r.rows[0]?.since ?? change.since ?? null;
  q.afterCommit?.(() =>
    statusChanged({
      service,
      orderId: change.orderId,
      from: change.from,
      to,
      actor: payload.actor,
      channel: payload.channel ?? 'none',
      ...(payload.partnerId ? { partnerId: payload.partnerId } : {}),
      since: since === null ? null : new Date(since),
      at: new Date(out.occurredAt),
    }),
  );
  return out.id;
}

/**
 * A change made in another trace than the order's previous step here (a person acting on the
 * order, hours after the automatic steps): the work's outermost span links to that step's
 * trace rather than becoming its child, since a trace that spans weeks of waiting helps no one.
 * The order id on both ends ties them together.
 */
function linkToPreviousStep(orderId: string, previous: string | null): void {
  const earlier = trace.getSpanContext(contextFromTraceparent(previous ?? undefined));
  const now = trace.getActiveSpan()?.spanContext();
  if (!earlier || !now || earlier.traceId === now.traceId) return;
  linkOutermostActiveSpan({
    context: earlier,
    attributes: { [ORDER_ID_ATTR]: orderId, 'atelier.link': 'order.previous_step' },
  });
}

/**
 * A status learned from another service's event. Returns true when it moved this copy forward;
 * an event older than what we hold only adds its history row, so out-of-order delivery never
 * moves an order backwards. `current` is null when this service learns of the order now.
 */
export async function recordFollowed(
  q: Queryable,
  current: OrderStatus | null,
  event: Envelope,
): Promise<boolean> {
  const status = EVENTS[event.type as EventType].status;
  const actor = (event.payload as { actor: string }).actor;
  await q.query(
    `INSERT INTO order_history (order_id, status, previous_status, actor, source, occurred_at, message_id, traceparent)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (order_id, status) DO NOTHING`,
    [
      event.orderId,
      status,
      current,
      actor,
      event.source,
      event.occurredAt,
      event.id,
      event.traceparent ?? null,
    ],
  );
  return current === null || isForward(current, status);
}

export async function readHistory(q: Queryable, orderId: string): Promise<HistoryEntry[]> {
  const rows = await q.query<{
    status: OrderStatus;
    previous_status: OrderStatus | null;
    actor: string;
    source: string;
    occurred_at: string;
  }>(
    `SELECT status, previous_status, actor, source, occurred_at FROM order_history
     WHERE order_id = $1 ORDER BY occurred_at, id`,
    [orderId],
  );
  return rows.rows.map((r) => ({
    status: r.status,
    previousStatus: r.previous_status,
    actor: r.actor,
    source: r.source,
    occurredAt: r.occurred_at,
  }));
}
