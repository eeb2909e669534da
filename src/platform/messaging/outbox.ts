import type { Queryable } from '../db/types.js';
import { checkPayload, newMessageId, type NewEvent } from './envelope.js';

export const OUTBOX_CHANNEL = 'atelier_outbox';

export interface OutboxHeaders {
  occurredAt: string;
  source: string;
  traceparent?: string;
}

/**
 * Writes an event into the outbox inside the caller's transaction, so it is published if and
 * only if the business change commits. The NOTIFY is delivered at commit and wakes the relay.
 */
export async function appendToOutbox(q: Queryable, source: string, event: NewEvent): Promise<string> {
  checkPayload(event.type, event.payload);
  const id = newMessageId();
  const headers: OutboxHeaders = { occurredAt: new Date().toISOString(), source };
  if (event.traceparent) headers.traceparent = event.traceparent;
  await q.query(
    `INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, headers)
     VALUES ($1, 'order', $2, $3, $4, $5)`,
    [id, event.orderId, event.type, JSON.stringify(event.payload), JSON.stringify(headers)],
  );
  await q.query(`SELECT pg_notify('${OUTBOX_CHANNEL}', '')`);
  return id;
}
