import type { Queryable } from '../platform/db/types.js';
import { listIncidents, type IncidentView } from './incidents.js';

export interface JourneyStep {
  status: string;
  previousStatus: string | null;
  eventType: string;
  actor: string;
  service: string;
  at: string;
  /** Time from the previous step to this one (the time spent in the previous status). */
  tookMs: number | null;
  traceId: string | null;
}

export interface Journey {
  orderId: string;
  orderNumber: string | null;
  channel: string;
  partnerId: string | null;
  status: string;
  statusSince: string;
  startedAt: string;
  endedAt: string | null;
  deadlineAt: string | null;
  late: boolean;
  promiseAt: string | null;
  traceId: string | null;
  steps: JourneyStep[];
  incidents: IncidentView[];
}

/** An order's journey as the tracker holds it, steps in the order they happened. */
export async function readJourney(q: Queryable, orderId: string): Promise<Journey | undefined> {
  const j = (
    await q.query<{
      order_id: string;
      order_number: string | null;
      channel: string;
      partner_id: string | null;
      status: string;
      status_since: string;
      started_at: string;
      ended_at: string | null;
      stage_deadline_at: string | null;
      promise_at: string | null;
      trace_id: string | null;
      late: boolean;
    }>(
      `SELECT *, (ended_at IS NULL AND stage_deadline_at <= now()) AS late FROM journeys WHERE order_id = $1`,
      [orderId],
    )
  ).rows[0];
  if (!j) return undefined;
  const steps = await q.query<{
    status: string;
    previous_status: string | null;
    event_type: string;
    actor: string;
    source: string;
    occurred_at: string;
    trace_id: string | null;
  }>('SELECT * FROM journey_steps WHERE order_id = $1 ORDER BY occurred_at, status', [orderId]);
  let previous: number | null = null;
  return {
    orderId: j.order_id,
    orderNumber: j.order_number,
    channel: j.channel,
    partnerId: j.partner_id,
    status: j.status,
    statusSince: j.status_since,
    startedAt: j.started_at,
    endedAt: j.ended_at,
    deadlineAt: j.stage_deadline_at,
    late: j.late,
    promiseAt: j.promise_at,
    traceId: j.trace_id,
    steps: steps.rows.map((s) => {
      const at = new Date(s.occurred_at).getTime();
      const tookMs = previous === null ? null : at - previous;
      previous = at;
      return {
        status: s.status,
        previousStatus: s.previous_status,
        eventType: s.event_type,
        actor: s.actor,
        service: s.source,
        at: s.occurred_at,
        tookMs,
        traceId: s.trace_id,
      };
    }),
    incidents: await listIncidents(q, { state: 'all', orderId, limit: 500 }),
  };
}
