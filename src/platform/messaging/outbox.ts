import { currentTraceparent } from '../telemetry/trace-context.js';
import type { Envelope } from '../../contracts/envelope.js';
import type { Queryable } from '../db/types.js';
import { checkPayload, newMessageId, type NewEvent } from './envelope.js';

/** The commit tag that wakes this process's relay. */
export const OUTBOX_TAG = 'outbox';

export interface OutboxHeaders {
  occurredAt: string;
  source: string;
  traceparent?: string;
}

/** The outbox INSERT and its parameters; `$${first}` onwards, so callers can prepend a statement. */
export function outboxInsert(source: string, event: NewEvent, first = 1) {
  checkPayload(event.type, event.payload);
  const id = newMessageId();
  const headers: OutboxHeaders = { occurredAt: new Date().toISOString(), source };
  // The trace this change belongs to (the request or the message that caused it), so the
  // consumer's work joins it: the relay publishes the row long after this context is gone.
  const traceparent = event.traceparent ?? currentTraceparent();
  if (traceparent) headers.traceparent = traceparent;
  const p = (i: number) => `$${first + i}`;
  return {
    id,
    occurredAt: headers.occurredAt,
    sql: `INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, headers)
          VALUES (${p(0)}, 'order', ${p(1)}, ${p(2)}, ${p(3)}, ${p(4)})`,
    params: [
      id,
      event.orderId,
      event.type,
      JSON.stringify(event.payload),
      JSON.stringify(headers),
    ] as unknown[],
  };
}

/**
 * Writes an event into the outbox inside the caller's transaction, so it is published if and
 * only if the business change commits. The commit wakes this process's relay at once; relays
 * of other instances find the row on their next poll (they matter only when this one is gone).
 */
export async function appendToOutbox(q: Queryable, source: string, event: NewEvent): Promise<string> {
  const ins = outboxInsert(source, event);
  await q.query(ins.sql, ins.params);
  q.tag?.(OUTBOX_TAG);
  return ins.id;
}

/** An outbox row as the relay reads it. */
export interface OutboxRow {
  seq: number;
  id: string;
  aggregateid: string;
  type: string;
  payload: unknown;
  headers: OutboxHeaders;
}

/** The envelope an outbox row is published as. */
export function envelopeOf(r: OutboxRow): Envelope {
  return {
    id: r.id,
    type: r.type,
    occurredAt: r.headers.occurredAt,
    orderId: r.aggregateid,
    source: r.headers.source,
    ...(r.headers.traceparent ? { traceparent: r.headers.traceparent } : {}),
    payload: r.payload,
  };
}
