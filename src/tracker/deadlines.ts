import type { Db, Queryable } from '../platform/db/types.js';
import { ORDER_STATUSES } from '../contracts/order-status.js';
import { audienceFor } from './audience.js';
import { incidentsOpened, slaBreaches } from './metrics.js';

export interface StageDeadline {
  status: string;
  /** '*' for any channel; a channel's own row wins over it. */
  channel: '*' | 'b2c' | 'b2b';
  seconds: number | null;
  workingDays: number | null;
  updatedAt: string;
  updatedBy: string;
}

export async function listDeadlines(q: Queryable): Promise<StageDeadline[]> {
  const r = await q.query<{
    status: string;
    channel: '*' | 'b2c' | 'b2b';
    seconds: number | null;
    working_days: number | null;
    updated_at: string;
    updated_by: string;
  }>('SELECT * FROM stage_deadlines ORDER BY status, channel');
  return r.rows.map((d) => ({
    status: d.status,
    channel: d.channel,
    seconds: d.seconds,
    workingDays: d.working_days,
    updatedAt: d.updated_at,
    updatedBy: d.updated_by,
  }));
}

/**
 * Sets (or, with neither seconds nor working days, removes) a stage's deadline, and moves the
 * deadline of every open order in that stage to match, so a tightened rule applies at once.
 */
export async function setDeadline(
  db: Db,
  d: { status: string; channel: '*' | 'b2c' | 'b2b'; seconds?: number; workingDays?: number },
  by: string,
): Promise<void> {
  await db.tx(async (q) => {
    if (d.seconds === undefined && d.workingDays === undefined)
      await q.query('DELETE FROM stage_deadlines WHERE status = $1 AND channel = $2', [d.status, d.channel]);
    else
      await q.query(
        `INSERT INTO stage_deadlines (status, channel, seconds, working_days, updated_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (status, channel) DO UPDATE SET seconds = $3, working_days = $4, updated_at = now(), updated_by = $5`,
        [d.status, d.channel, d.seconds ?? null, d.workingDays ?? null, by],
      );
    await q.query(
      `UPDATE journeys j SET stage_deadline_at =
         (SELECT tracker_deadline(j.status_since, s.seconds, s.working_days) FROM stage_deadlines s
          WHERE s.status = j.status AND s.channel IN (j.channel, '*') ORDER BY s.channel = '*' LIMIT 1),
         stage_alerted = false
       WHERE j.ended_at IS NULL AND j.status = $1 AND ($2 = '*' OR j.channel = $2)`,
      [d.status, d.channel],
    );
  });
}

/**
 * Opens an incident for each order past its stage deadline or its promise, once per stage: the
 * journey remembers it alerted, until the order moves on. Runs every TRACKER_SWEEP_MS, so an
 * incident opens within that (plus the time an event takes to arrive) of the deadline. Several
 * tracker instances may sweep: the unique open-incident index and SKIP LOCKED keep them apart.
 */
export async function sweepDeadlines(db: Db): Promise<number> {
  let opened = 0;
  for (const kind of ['late', 'promise'] as const) {
    const due = kind === 'late' ? 'stage_deadline_at' : 'promise_at';
    const alerted = kind === 'late' ? 'stage_alerted' : 'promise_alerted';
    const rows = await db.tx(async (q) => {
      const r = await q.query<{ order_id: string; status: string; channel: string; due_at: string }>(
        `WITH due AS (
           SELECT order_id, order_number, status, channel, ${due} AS due_at, status_since, trace_id FROM journeys
           WHERE ended_at IS NULL AND NOT ${alerted} AND ${due} <= clock_timestamp()
           ORDER BY ${due} LIMIT 500 FOR UPDATE SKIP LOCKED),
         marked AS (UPDATE journeys j SET ${alerted} = true FROM due WHERE j.order_id = due.order_id)
         INSERT INTO incidents (kind, order_id, status, channel, audience, summary, detail, due_at, trace_id)
         SELECT $1, order_id, status, channel, $2::jsonb ->> status,
                ${
                  kind === 'late'
                    ? `'Order ' || coalesce(order_number, order_id::text) || ' has been ' || status || ' since ' || to_char(status_since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC, past its deadline'`
                    : `'Order ' || coalesce(order_number, order_id::text) || ' missed its delivery promise while ' || status`
                },
                jsonb_build_object('statusSince', status_since), due_at, trace_id
         FROM due
         ON CONFLICT DO NOTHING
         RETURNING order_id, status, channel, due_at`,
        [kind, JSON.stringify(AUDIENCES)],
      );
      return r.rows;
    });
    for (const r of rows) {
      slaBreaches.inc({ stage: kind === 'late' ? r.status : 'promise', channel: r.channel });
      incidentsOpened.inc({ kind });
    }
    opened += rows.length;
  }
  return opened;
}

/** Who can act on an order stuck in each status, for the incident's audience column. */
const AUDIENCES = Object.fromEntries(ORDER_STATUSES.map((s) => [s, audienceFor(s)]));
