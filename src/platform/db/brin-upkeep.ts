import type { Db } from './types.js';

/**
 * Summarizes the new page ranges of every BRIN index in the database by vacuuming their tables,
 * and refreshes their statistics.
 *
 * The append-only tables (inbox, history, journey steps) find rows by time through BRIN indexes
 * (see migration 0005_lighter_indexes.sql). Rows in ranges not summarized yet are always read,
 * so the ranges must be summarized as the tables grow. On a PostgreSQL server the indexes'
 * `autosummarize` has autovacuum do it as each range fills; PGlite has no autovacuum, so an
 * embedded service calls this now and then. A vacuum of an insert-only table reads only the pages
 * added since the last one (the visibility map skips the rest), and summarizes only full ranges,
 * so rows still arriving never pay for a summary being widened.
 */
export async function summarizeBrinRanges(db: Db): Promise<number> {
  const tables = (
    await db.query<{ name: string }>(
      `SELECT DISTINCT i.indrelid::regclass::text AS name
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am am ON am.oid = c.relam
       WHERE am.amname = 'brin'`,
    )
  ).rows.map((r) => r.name);
  // ANALYZE too: PGlite has no autoanalyze either, and a planner without statistics reads the
  // whole table rather than trust the index.
  if (tables.length > 0) await db.query(`VACUUM (ANALYZE, SKIP_LOCKED) ${tables.join(', ')}`);
  return tables.length;
}
