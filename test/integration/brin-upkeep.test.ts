/**
 * The append-only tables find rows by time through BRIN indexes, which only help for the page
 * ranges they have summarized. PGlite has no autovacuum, so the service summarizes them itself
 * (summarizeBrinRanges); without that, every time-window read would read the whole table.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { openPglite } from '../../src/platform/db/pglite.js';
import type { Db } from '../../src/platform/db/types.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { summarizeBrinRanges } from '../../src/platform/db/brin-upkeep.js';
import { PLATFORM_MIGRATIONS } from '../../src/platform/service.js';

let db: Db;

before(async () => {
  db = await openPglite();
  await migrate(db, [{ label: 'platform', dir: fileURLToPath(PLATFORM_MIGRATIONS) }]);
  // An hour of handled messages, in time order, that ended ten minutes ago.
  await db.query(
    `INSERT INTO inbox (consumer, message_id, type, order_id, handled_at)
     SELECT 'crm', gen_random_uuid(), 'order.submitted.v1', gen_random_uuid(),
            now() - interval '70 minutes' + g * interval '180 ms'
     FROM generate_series(1, 20000) g`,
  );
});
after(async () => {
  await db.close();
});

/** Pages (table and index) a read of the last five minutes visits: none of the rows is that recent. */
async function pagesRead(): Promise<{ pages: number; plan: string }> {
  const plan = (
    await db.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF)
       SELECT count(*) FROM inbox WHERE handled_at >= now() - interval '5 minutes'`,
    )
  ).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  // The first Buffers line is the whole statement's.
  const buffers = /Buffers: shared((?: \w+=\d+)+)/.exec(plan)?.[1] ?? '';
  const pages = [...buffers.matchAll(/=(\d+)/g)].reduce((n, m) => n + Number(m[1]), 0);
  return { pages, plan };
}

test('summarizing the BRIN ranges lets a time-window read skip the old pages', async () => {
  const pages = Number(
    (await db.query<{ n: number }>(`SELECT (pg_relation_size('inbox') / 8192)::int AS n`)).rows[0]?.n,
  );
  assert.ok(pages > 100, `only ${pages} pages`);
  // Nothing summarized yet: the read goes through every page.
  const unsummarized = await pagesRead();
  assert.ok(unsummarized.pages >= pages, unsummarized.plan);
  assert.ok((await summarizeBrinRanges(db)) >= 2, 'the inbox and history tables have BRIN indexes');
  // Summarized (and analyzed, so the planner knows it): the index's few pages and the last range,
  // not full yet and so left unsummarized (16 pages), are read.
  const summarized = await pagesRead();
  assert.match(summarized.plan, /Bitmap Index Scan on inbox_handled_at/, summarized.plan);
  assert.ok(summarized.pages < 16 + 8, summarized.plan);
});
