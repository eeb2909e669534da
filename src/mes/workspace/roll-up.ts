/**
 * Upkeep of the workspace's counters. A status change only appends delta rows (no hot row to
 * lock); four times a second mes_roll_up() folds them into the totals and deletes them. Those
 * deletes leave dead rows, and the counts read scans the delta tables whole: left to autovacuum
 * (a look once a minute at best) they grow by thousands of pages under load and the counts read
 * slows from a few buffers to a thousand. So every second the roll-up also vacuums them, which
 * keeps them a few pages long (new deltas reuse the space freed).
 */

/** How often the deltas fold into their totals (reads stay exact either way). */
export const COUNT_ROLL_UP_MS = 250;
/** Every this many roll-ups, the delta tables are vacuumed. */
const VACUUM_EVERY = 4;

interface SqlRunner {
  query(sql: string): Promise<unknown>;
}

/** One roll-up; the `tick`-th one also vacuums. VACUUM runs outside a transaction. */
export async function rollUpCounts(db: SqlRunner, tick: number): Promise<void> {
  await db.query('SELECT mes_roll_up()');
  if (tick % VACUUM_EVERY === 0)
    await db.query(
      'VACUUM (SKIP_LOCKED) production_status_deltas, operator_stat_deltas, production_status_totals, operator_stats',
    );
}

/** Runs the roll-up on a timer; the returned function stops it and waits for a run in flight. */
export function startCountRollUp(db: SqlRunner, onError: (err: unknown) => void): () => Promise<void> {
  let tick = 0;
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    running ??= rollUpCounts(db, ++tick)
      .catch(onError)
      .finally(() => (running = undefined));
  }, COUNT_ROLL_UP_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    // Before the caller closes the database, so a VACUUM is not cut off mid-way.
    await running;
  };
}
