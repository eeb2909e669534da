import type { Envelope } from '../contracts/envelope.js';
import { EVENTS, type EventType } from '../contracts/events.js';
import { isForward, TERMINAL_STATUSES, type OrderStatus } from '../contracts/order-status.js';
import type { Queryable } from '../platform/db/types.js';
import { traceIdOf } from '../platform/telemetry/trace-context.js';
import { incidentsResolved } from './metrics.js';

interface EventFields {
  orderNumber?: string;
  channel?: string;
  actor?: string;
  partnerId?: string;
}

/**
 * One order event into the journey, in the inbox transaction: the step (once per status), and
 * the journey moved forward when the event is newer than what it holds, with the deadline of
 * the new stage and, from submission, the promise for the whole order. An order that moves on
 * resolves the late incidents of the stages it left; an order that ends resolves them all.
 * Events may arrive in any order: an older one only adds its step.
 */
export async function recordJourneyEvent(q: Queryable, event: Envelope, promiseDays: number): Promise<void> {
  const status = EVENTS[event.type as EventType].status;
  const p = event.payload as EventFields;
  const channel = p.channel ?? 'b2c';
  const traceId = traceIdOf(event.traceparent);
  // The journey's row lock, its status before this event and the event's step, in one statement.
  const current = (
    await q.query<{ status: OrderStatus }>(
      `WITH cur AS (SELECT status FROM journeys WHERE order_id = $1 FOR UPDATE),
            step AS (
              INSERT INTO journey_steps (order_id, status, previous_status, event_type, actor, source, occurred_at,
                                         message_id, trace_id)
              SELECT $1, $2, (SELECT status FROM cur), $3, $4, $5, $6, $7, $8
              ON CONFLICT (order_id, status) DO NOTHING)
       SELECT status FROM cur`,
      [
        event.orderId,
        status,
        event.type,
        p.actor ?? event.source,
        event.source,
        event.occurredAt,
        event.id,
        traceId,
      ],
    )
  ).rows[0];
  const ended = TERMINAL_STATUSES.includes(status);
  const submittedAt = status === 'SUBMITTED' ? event.occurredAt : null;
  if (!current) {
    const started = q.query(
      `INSERT INTO journeys (order_id, order_number, channel, partner_id, status, status_since, started_at,
                             submitted_at, stage_deadline_at, promise_at, ended_at, trace_id)
       SELECT $1, $2, $3, $4, $5, $6, $6, $7::timestamptz, ${deadlineSql('$5', '$3', '$6')},
              $7::timestamptz + $8 * interval '1 day', CASE WHEN $9 THEN $6::timestamptz END, $10`,
      [
        event.orderId,
        p.orderNumber ?? null,
        channel,
        p.partnerId ?? null,
        status,
        event.occurredAt,
        submittedAt,
        promiseDays,
        ended,
        traceId,
      ],
    );
    await started;
    return;
  }
  if (!isForward(current.status, status)) {
    // An older event (or a repeat): its step is recorded; the journey already knows better.
    if (submittedAt)
      await q.query(
        `UPDATE journeys SET submitted_at = $2, promise_at = $2::timestamptz + $3 * interval '1 day'
         WHERE order_id = $1 AND submitted_at IS NULL`,
        [event.orderId, submittedAt, promiseDays],
      );
    return;
  }
  // The journey moves on and, in the same statement, only the order moving on resolves a late
  // incident; the end of the order resolves the promise too (a cancelled order is no longer late).
  const resolved = await q.query<{ kind: string }>(
    `WITH moved AS (
       UPDATE journeys SET
         status = $2, status_since = $3, stage_alerted = false,
         stage_deadline_at = ${deadlineSql('$2', 'channel', '$3')},
         order_number = coalesce(order_number, $4), partner_id = coalesce(partner_id, $5),
         submitted_at = coalesce(submitted_at, $6::timestamptz),
         promise_at = coalesce(promise_at, $6::timestamptz + $7 * interval '1 day'),
         ended_at = CASE WHEN $8 THEN $3::timestamptz END,
         trace_id = coalesce($9, trace_id), updated_at = now()
       WHERE order_id = $1)
     UPDATE incidents SET resolved_at = clock_timestamp(), resolution = $10
     WHERE order_id = $1 AND resolved_at IS NULL
       AND ((kind = 'late' AND status <> $2) OR (kind = 'promise' AND $8))
     RETURNING kind`,
    [
      event.orderId,
      status,
      event.occurredAt,
      p.orderNumber ?? null,
      p.partnerId ?? null,
      submittedAt,
      promiseDays,
      ended,
      traceId,
      `the order moved on to ${status} (${p.actor ?? event.source})`,
    ],
  );
  for (const r of resolved.rows) incidentsResolved.inc({ kind: r.kind });
}

/** The deadline of `status` for `channel` from `since`: the channel's own row wins over '*'. */
function deadlineSql(status: string, channel: string, since: string): string {
  return `(SELECT tracker_deadline(${since}::timestamptz, d.seconds, d.working_days) FROM stage_deadlines d
           WHERE d.status = ${status} AND d.channel IN (${channel}, '*')
           ORDER BY d.channel = '*' LIMIT 1)`;
}
