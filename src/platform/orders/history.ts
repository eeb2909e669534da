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
  change: { orderId: string; from: OrderStatus | null; type: T; payload: EventPayload<T>; details?: unknown },
): Promise<string> {
  const to = EVENTS[change.type].status;
  if (change.from !== null) assertTransition(change.orderId, change.from, to, service);
  const out = outboxInsert(
    service,
    { type: change.type, orderId: change.orderId, payload: change.payload },
    8,
  );
  // One round trip for both rows; the history row and the event share the event's timestamp.
  await q.query(
    `WITH history AS (
       INSERT INTO order_history (order_id, status, previous_status, actor, source, occurred_at, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7))
     ${out.sql}`,
    [
      change.orderId,
      to,
      change.from,
      change.payload.actor,
      service,
      out.occurredAt,
      JSON.stringify(change.details ?? null),
      ...out.params,
    ],
  );
  q.tag?.(OUTBOX_TAG);
  return out.id;
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
    `INSERT INTO order_history (order_id, status, previous_status, actor, source, occurred_at, message_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (order_id, status) DO NOTHING`,
    [event.orderId, status, current, actor, event.source, event.occurredAt, event.id],
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
