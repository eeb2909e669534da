/**
 * Status changes per second: N connections, each moving its own share of the active orders one
 * step along the lifecycle (some end: CLOSED after SHIPPED, a few CANCELLED or REJECTED early),
 * one UPDATE per transaction, committed as the service commits (synchronous_commit on), with
 * the trigger keeping counts, operator stats and the live feed. Every layout gets the same
 * seeded sequence of moves. An UPDATE guards the status it expects, as the state machine does.
 * The counters' roll-up (with its vacuum) runs meanwhile on a timer, as the service runs it.
 */
import { COUNT_ROLL_UP_MS, rollUpCounts } from '../src/mes/workspace/roll-up.js';
import { ENDED_STATUSES, OPERATORS, prng, skewed } from './dashboard-data.js';
import { ACTIVE_LIST, connect, QUEUE, type Layout } from './dashboard-layouts.js';
import { percentile } from './dashboard-queries.js';

const ENDED = new Set<string>(ENDED_STATUSES);

export interface WriteResult {
  changes: number;
  perSecond: number;
  p50: number;
  p95: number;
  /** Changes that moved the row to another partition (ended orders; every change in per_status). */
  moved: number;
  deadlocks: number;
}

export function nextStatus(status: string, r: number): string {
  switch (status) {
    case 'SUBMITTED':
      return r < 0.05 ? 'CANCELLED' : r < 0.08 ? 'REJECTED' : 'PRICE_CALCULATED';
    case 'PRICE_CALCULATED':
      return r < 0.05 ? 'CANCELLED' : 'MANUFACTURING_APPROVED';
    case 'PRICING_FAILED':
      return r < 0.3 ? 'REJECTED' : 'PRICE_CALCULATED';
    case 'MANUFACTURING_APPROVED':
      return 'MANUFACTURING_STARTED';
    case 'MANUFACTURING_STARTED':
      return 'MANUFACTURING_COMPLETED';
    case 'MANUFACTURING_COMPLETED':
      return 'PACKAGING';
    case 'PACKAGING':
      return 'SHIPPED';
    case 'SHIPPED':
      return 'CLOSED';
    default:
      throw new Error(`no move from ${status}`);
  }
}

/** One status change as the service makes it, guarded by the status it expects. */
export function statusChangeSql(layout: Layout): string {
  return `UPDATE production_orders SET status = $2::text, operator = COALESCE(operator, $4::text),
      claimed_at = CASE WHEN $2::text = 'MANUFACTURING_STARTED' THEN now() ELSE claimed_at END,
      completed_at = CASE WHEN $2::text = 'MANUFACTURING_COMPLETED' THEN now() ELSE completed_at END,
      updated_at = now(),
      archive_month = CASE WHEN $2::text IN ('CLOSED', 'CANCELLED', 'REJECTED')
                           THEN date_trunc('month', now())::date ELSE archive_month END
    WHERE id = $1 AND status = $3::text${layout === 'archive' ? " AND archive_month = 'infinity'" : ''}`;
}

export async function statusChanges(
  dbUrl: string,
  layout: Layout,
  opts: { workers: number; seconds: number; seed: number },
): Promise<WriteResult> {
  const sql = statusChangeSql(layout);
  const admin = await connect(dbUrl, layout);
  const active = await admin.query<{ id: string; status: string }>(
    `SELECT id, status FROM production_orders WHERE status IN (${ACTIVE_LIST})${
      layout === 'archive' ? " AND archive_month = 'infinity'" : ''
    } ORDER BY id`,
  );
  // A checkpoint now, so none falls on one layout's run more than another's.
  await admin.query('CHECKPOINT');
  await admin.end();

  const clients = await Promise.all(Array.from({ length: opts.workers }, () => connect(dbUrl, layout)));
  // The service folds the counts' deltas in on a timer; so does this, on its own connection.
  const roller = await connect(dbUrl, layout);
  let rolling = true;
  const rollUps = (async () => {
    for (let tick = 1; rolling; tick++) {
      await rollUpCounts(roller, tick);
      await new Promise((resolve) => setTimeout(resolve, COUNT_ROLL_UP_MS));
    }
  })();
  const latencies: number[] = [];
  let changes = 0;
  let moved = 0;
  let deadlocks = 0;
  const t0 = performance.now();
  const deadline = t0 + opts.seconds * 1000;
  await Promise.all(
    clients.map(async (c, w) => {
      const rnd = prng(opts.seed + w);
      const ids = active.rows.filter((_, i) => i % opts.workers === w).map((r) => r.id);
      const statuses = active.rows.filter((_, i) => i % opts.workers === w).map((r) => r.status);
      while (performance.now() < deadline && ids.length > 0) {
        const i = Math.floor(rnd() * ids.length);
        const from = statuses[i]!;
        const to = nextStatus(from, rnd());
        const operator = to === 'MANUFACTURING_STARTED' ? skewed(OPERATORS, rnd()) : null;
        const s = performance.now();
        try {
          const r = await c.query({
            name: `${layout}_status_change`,
            text: sql,
            values: [ids[i], to, from, operator],
          });
          if (r.rowCount !== 1) throw new Error(`${layout}: ${ids[i]} was not in ${from}`);
        } catch (err) {
          // Should the trigger's writes and another change's (or the roll-up's) ever wait on
          // each other, the server breaks the tie and the service retries, as here: counted.
          if ((err as { code?: string }).code === '40P01') {
            deadlocks++;
            continue;
          }
          throw err;
        }
        latencies.push(performance.now() - s);
        changes++;
        if (layout === 'per_status' || (layout === 'archive' && ENDED.has(to))) moved++;
        if (ENDED.has(to)) {
          ids[i] = ids[ids.length - 1]!;
          statuses[i] = statuses[statuses.length - 1]!;
          ids.pop();
          statuses.pop();
        } else statuses[i] = to;
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  rolling = false;
  await rollUps;
  await Promise.all([...clients, roller].map((c) => c.end()));
  latencies.sort((a, b) => a - b);
  return {
    changes,
    perSecond: changes / elapsed,
    p50: percentile(latencies, 0.5),
    p95: percentile(latencies, 0.95),
    moved,
    deadlocks,
  };
}

/**
 * Rows of the counts view that differ from a fresh count(*) (and the queue's count) after a
 * last roll-up: the trigger kept them right if there are none.
 */
export async function countsOff(dbUrl: string, layout: Layout): Promise<string[]> {
  const c = await connect(dbUrl, layout);
  try {
    await c.query('SELECT mes_roll_up()');
    const r = await c.query<{ status: string; kept: string | null; counted: string | null }>(
      `SELECT status, k.orders::text AS kept, t.orders::text AS counted FROM production_status_counts k
       FULL JOIN (SELECT status, count(*) AS orders FROM production_orders GROUP BY status
                  UNION ALL SELECT 'QUEUE', count(*) FROM production_orders WHERE ${QUEUE}) t USING (status)
       WHERE k.orders IS DISTINCT FROM t.orders AND COALESCE(k.orders, 0) + COALESCE(t.orders, 0) > 0`,
    );
    return r.rows.map((x) => `${x.status} kept ${x.kept ?? 'none'}, counted ${x.counted ?? 0}`);
  } finally {
    await c.end();
  }
}
