import type { Db } from '../platform/db/types.js';
import type { Logger } from '../platform/logger.js';

/**
 * Makes sure the archive partitions of last month, this month and the next two exist, so the
 * orders that end now land in a partition of their own month (which can later be detached)
 * rather than in the default one. Instances starting together take turns on an advisory lock.
 */
export async function ensureArchiveMonths(db: Db, logger: Logger): Promise<void> {
  try {
    await db.tx(async (q) => {
      await q.query('SELECT pg_advisory_xact_lock(7243002)');
      await q.query(
        `SELECT mes_ensure_archive_month(m::date)
         FROM generate_series(date_trunc('month', now()) - interval '1 month',
                              date_trunc('month', now()) + interval '2 months', interval '1 month') AS m`,
      );
    });
  } catch (err) {
    // Rows of that month already in the default partition block it; they stay readable there.
    logger.warn(
      { err },
      'could not create an archive partition; ended orders of that month stay in the default one',
    );
  }
}
