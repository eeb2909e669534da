import type { Logger } from 'pino';
import type { ServiceName } from '../contracts/order-status.js';
import type { Db } from '../platform/db/types.js';
import { topicMatches } from '../platform/messaging/transport.js';
import type { KnownOrder } from '../platform/orders/reconciliation.js';
import { incidentsOpened, incidentsResolved } from './metrics.js';
import { WATCHED, type DeadLetterSeen, type ServiceClient } from './service-client.js';

export interface ReconcileOptions {
  /** How long an event may take to reach every consumer before it counts as lost. */
  graceMs: number;
  /** How far back each run looks, beyond the grace (covers the time between runs). */
  windowMs: number;
}

interface Step {
  order_id: string;
  message_id: string;
  status: string;
  event_type: string;
  source: string;
  occurred_at: string;
  channel: string;
  order_number: string | null;
}

interface Incident {
  kind: 'lost' | 'dead_letter';
  orderId: string | null;
  status?: string | null;
  channel?: string | null;
  service: string;
  eventType: string | null;
  deadLetterId?: string;
  summary: string;
  detail: Record<string, unknown>;
}

/**
 * One comparison of what every service knows with what the tracker saw, and of their dead
 * letters. Opens:
 * - a `lost` incident for an event the tracker saw more than the grace ago that a service
 *   consuming it never handled (its inbox has no such message for the order), and for a status a
 *   service made more than the grace ago whose event never reached the tracker;
 * - a `dead_letter` incident for each message a service gave up on.
 * Resolves each only when the thing is actually fixed: the service handled the event after all,
 * the tracker got it, the dead-lettered message was handled after a replay. A service that does
 * not answer is skipped this time (and logged): its orders are judged on the next run.
 */
export async function reconcile(
  db: Db,
  client: ServiceClient,
  o: ReconcileOptions,
  logger: Logger,
): Promise<{ opened: number; resolved: number }> {
  const to = new Date(Date.now() - o.graceMs);
  const from = new Date(to.getTime() - o.windowMs);
  const steps = (
    await db.query<Step>(
      `SELECT s.order_id, s.message_id, s.status, s.event_type, s.source, s.occurred_at, j.channel, j.order_number
       FROM journey_steps s JOIN journeys j USING (order_id)
       WHERE s.occurred_at > $1 AND s.occurred_at <= $2`,
      [from, to],
    )
  ).rows;

  const views = new Map<ServiceName, { consumes: string[]; orders: Map<string, KnownOrder> }>();
  const deadLetters = new Map<ServiceName, DeadLetterSeen[]>();
  await Promise.all(
    WATCHED.map(async (service) => {
      try {
        const [known, dead] = await Promise.all([
          client.knownOrders(service, from),
          client.unhandledDeadLetters(service),
        ]);
        views.set(service, {
          consumes: known.consumes,
          orders: new Map(known.orders.map((k) => [k.orderId, k])),
        });
        deadLetters.set(service, dead);
      } catch (err) {
        logger.warn({ err, service }, 'reconciliation skipped a service that did not answer');
      }
    }),
  );

  const found: Incident[] = [];
  for (const [service, dead] of deadLetters)
    for (const d of dead)
      found.push({
        kind: 'dead_letter',
        orderId: d.orderId,
        service,
        eventType: d.type,
        deadLetterId: d.id,
        summary: `${service} gave up on ${d.type ?? 'a message'}${d.orderId ? ` for order ${d.orderId}` : ''} after ${d.attempts} attempts: ${d.error}`,
        detail: { messageId: d.messageId, error: d.error, attempts: d.attempts, replayedAt: d.replayedAt },
      });
  const deadLettered = new Set(
    [...deadLetters].flatMap(([service, dead]) => dead.map((d) => `${service}|${d.orderId}|${d.type}`)),
  );

  const seen = new Set(steps.map((s) => `${s.order_id}|${s.status}`));
  for (const s of steps)
    for (const [service, view] of views) {
      if (service === s.source) continue;
      const key = `${s.event_type}.${s.channel}`;
      if (!view.consumes.some((p) => topicMatches(p, key))) continue;
      if (view.orders.get(s.order_id)?.handled.includes(s.event_type)) continue;
      if (deadLettered.has(`${service}|${s.order_id}|${s.event_type}`)) continue; // its own incident
      found.push({
        kind: 'lost',
        orderId: s.order_id,
        status: s.status,
        channel: s.channel,
        service,
        eventType: s.event_type,
        summary: `${service} never received ${s.event_type} for order ${s.order_number ?? s.order_id}, published by ${s.source} at ${new Date(s.occurred_at).toISOString()}`,
        detail: {
          publishedBy: s.source,
          messageId: s.message_id,
          occurredAt: s.occurred_at,
          since: s.occurred_at,
        },
      });
    }
  // The other way round: a status a service made that never reached the tracker (an outbox
  // that does not drain, a broker that lost the message). Only those older than the grace.
  const unseen: { service: ServiceName; orderId: string; status: string; at: string }[] = [];
  for (const [service, view] of views)
    for (const k of view.orders.values())
      for (const m of k.made)
        if (new Date(m.at) <= to && new Date(m.at) > from && !seen.has(`${k.orderId}|${m.status}`))
          unseen.push({ service, orderId: k.orderId, status: m.status, at: m.at });
  if (unseen.length > 0) {
    const known = await db.query<{ order_id: string; status: string }>(
      `SELECT order_id, status FROM journey_steps WHERE (order_id, status) IN
         (SELECT * FROM unnest($1::uuid[], $2::text[]))`,
      [unseen.map((u) => u.orderId), unseen.map((u) => u.status)],
    );
    const have = new Set(known.rows.map((r) => `${r.order_id}|${r.status}`));
    for (const u of unseen)
      if (!have.has(`${u.orderId}|${u.status}`))
        found.push({
          kind: 'lost',
          orderId: u.orderId,
          status: u.status,
          service: 'tracker',
          eventType: null,
          summary: `${u.service} moved order ${u.orderId} to ${u.status} at ${new Date(u.at).toISOString()}, but its event never reached the tracker (outbox not drained or message lost)`,
          detail: { madeBy: u.service, occurredAt: u.at, since: u.at },
        });
  }

  const opened = await openIncidents(db, found);
  const resolved = await resolveFixed(db, client, deadLetters, logger);
  return { opened, resolved };
}

async function openIncidents(db: Db, found: readonly Incident[]): Promise<number> {
  if (found.length === 0) return 0;
  const r = await db.query<{ kind: string }>(
    `INSERT INTO incidents (kind, order_id, status, channel, service, event_type, dead_letter_id, audience, summary, detail)
     SELECT i.kind, i.order_id, i.status, i.channel, i.service, i.event_type, i.dead_letter_id, 'administrator',
            i.summary, i.detail
     FROM jsonb_to_recordset($1::jsonb) AS i(kind text, order_id uuid, status text, channel text, service text,
                                             event_type text, dead_letter_id uuid, summary text, detail jsonb)
     ON CONFLICT DO NOTHING
     RETURNING kind`,
    [
      JSON.stringify(
        found.map((f) => ({
          kind: f.kind,
          order_id: f.orderId,
          status: f.status ?? null,
          channel: f.channel ?? null,
          service: f.service,
          event_type: f.eventType,
          dead_letter_id: f.deadLetterId ?? null,
          summary: f.summary,
          detail: f.detail,
        })),
      ),
    ],
  );
  for (const row of r.rows) incidentsOpened.inc({ kind: row.kind });
  return r.rowCount;
}

/** Closes the incidents whose cause is gone, asking each service only about its own. */
async function resolveFixed(
  db: Db,
  client: ServiceClient,
  deadLetters: Map<ServiceName, DeadLetterSeen[]>,
  logger: Logger,
): Promise<number> {
  let resolved = 0;
  const close = async (ids: string[], resolution: string, kind: string) => {
    if (ids.length === 0) return;
    const r = await db.query(
      `UPDATE incidents SET resolved_at = clock_timestamp(), resolution = $2 WHERE id = ANY($1) AND resolved_at IS NULL`,
      [ids, resolution],
    );
    incidentsResolved.inc({ kind }, r.rowCount);
    resolved += r.rowCount;
  };
  const open = (
    await db.query<{
      id: string;
      kind: string;
      order_id: string | null;
      status: string | null;
      service: string;
      event_type: string | null;
      dead_letter_id: string | null;
      since: string | null;
    }>(
      `SELECT id, kind, order_id, status, service, event_type, dead_letter_id, detail ->> 'since' AS since
       FROM incidents WHERE resolved_at IS NULL AND kind IN ('lost', 'dead_letter')`,
    )
  ).rows;

  // Dead letters: gone from the service's unhandled list means handled (after a replay).
  for (const [service, dead] of deadLetters) {
    const still = new Set(dead.map((d) => d.id));
    const fixed = open.filter(
      (i) =>
        i.kind === 'dead_letter' && i.service === service && i.dead_letter_id && !still.has(i.dead_letter_id),
    );
    await close(
      fixed.map((i) => i.id),
      `${service} handled the message after a replay`,
      'dead_letter',
    );
  }

  // Events the tracker never got: fixed once the step is in the journey.
  const missing = open.filter((i) => i.kind === 'lost' && i.service === 'tracker');
  if (missing.length > 0) {
    const r = await db.query<{ id: string }>(
      `SELECT i.id FROM incidents i JOIN journey_steps s ON s.order_id = i.order_id AND s.status = i.status
       WHERE i.id = ANY($1)`,
      [missing.map((i) => i.id)],
    );
    await close(
      r.rows.map((x) => x.id),
      'the event reached the tracker',
      'lost',
    );
  }

  // Events a service never handled: ask that service about exactly those orders.
  const byService = new Map<string, typeof open>();
  for (const i of open)
    if (i.kind === 'lost' && i.service !== 'tracker' && i.order_id)
      byService.set(i.service, [...(byService.get(i.service) ?? []), i]);
  for (const [service, list] of byService) {
    try {
      const since = new Date(Math.min(...list.map((i) => Date.parse(i.since ?? '') || 0)) - 1000);
      const known = await client.knownOrders(
        service as ServiceName,
        since,
        list.map((i) => i.order_id as string),
      );
      const handled = new Map(known.orders.map((k) => [k.orderId, k.handled]));
      await close(
        list.filter((i) => handled.get(i.order_id as string)?.includes(i.event_type ?? '')).map((i) => i.id),
        `${service} handled the event after all`,
        'lost',
      );
    } catch (err) {
      logger.warn({ err, service }, 'could not check lost events with a service; trying on the next run');
    }
  }
  return resolved;
}
