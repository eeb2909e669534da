import type { Queryable } from '../platform/db/types.js';

export interface PipelineView {
  /** Orders not yet ended, by the status they are in now (the funnel). */
  funnel: { status: string; orders: number; late: number }[];
  /** Time spent in each status by the orders that left it in the window, in seconds. */
  stages: { stage: string; orders: number; p50: number; p95: number; p99: number; max: number }[];
  /** Orders that entered the pipeline in the window, by channel. */
  created: { channel: string; orders: number }[];
  incidentsOpen: { kind: string; incidents: number }[];
  windowHours: number;
}

/**
 * The operations view's figures, from the journeys: the funnel now, and for the last
 * `windowHours` the time per stage (percentiles) and the orders created. Stage times come from
 * consecutive steps of each order, so a stage is measured once the order has left it.
 */
export async function pipelineView(q: Queryable, windowHours: number): Promise<PipelineView> {
  const funnel = await q.query<{ status: string; orders: number; late: number }>(
    `SELECT status, count(*)::int AS orders,
            count(*) FILTER (WHERE stage_deadline_at <= now())::int AS late
     FROM journeys WHERE ended_at IS NULL GROUP BY status`,
  );
  const stages = await q.query<{
    stage: string;
    orders: number;
    p50: number;
    p95: number;
    p99: number;
    max: number;
  }>(
    `WITH moved AS (
       SELECT s.occurred_at,
              lag(s.status) OVER w AS stage,
              extract(epoch FROM s.occurred_at - lag(s.occurred_at) OVER w)::float8 AS seconds
       FROM journey_steps s
       WHERE s.order_id IN (SELECT order_id FROM journey_steps
                            WHERE occurred_at > now() - $1 * interval '1 hour')
       WINDOW w AS (PARTITION BY s.order_id ORDER BY s.occurred_at, s.status))
     SELECT stage, count(*)::int AS orders,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds) AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY seconds) AS p99,
            max(seconds) AS max
     FROM moved WHERE stage IS NOT NULL AND occurred_at > now() - $1 * interval '1 hour'
     GROUP BY stage`,
    [windowHours],
  );
  const created = await q.query<{ channel: string; orders: number }>(
    `SELECT channel, count(*)::int AS orders FROM journeys
     WHERE started_at > now() - $1 * interval '1 hour' GROUP BY channel ORDER BY channel`,
    [windowHours],
  );
  const incidents = await q.query<{ kind: string; incidents: number }>(
    `SELECT kind, count(*)::int AS incidents FROM incidents WHERE resolved_at IS NULL GROUP BY kind ORDER BY kind`,
  );
  return {
    funnel: funnel.rows,
    stages: stages.rows.map((s) => ({
      stage: s.stage,
      orders: s.orders,
      p50: Number(s.p50),
      p95: Number(s.p95),
      p99: Number(s.p99),
      max: Number(s.max),
    })),
    created: created.rows,
    incidentsOpen: incidents.rows,
    windowHours,
  };
}
