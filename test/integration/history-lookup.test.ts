/**
 * Recording a status change reads the order's earlier history (when it entered its previous
 * status, the trace of its latest step). On a large history table that read must go by the
 * order's id: PostgreSQL once chose to walk the whole occurred_at B-tree backwards for it, which
 * for a new order (no row yet) read every row of the table on every transition. The time index is
 * BRIN now (migration 0005), which cannot be walked in order; what could still read every row is
 * a sequential scan, so the test checks that the read goes through the order's id.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { openPg } from '../../src/platform/db/pg.js';
import type { Db } from '../../src/platform/db/types.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { recordTransition } from '../../src/platform/orders/history.js';
import { PLATFORM_MIGRATIONS } from '../../src/platform/service.js';
import { createTestDatabase } from '../support/servers.js';

let t: Awaited<ReturnType<typeof createTestDatabase>>;
let db: Db;

before(async () => {
  t = await createTestDatabase('history_lookup');
  // One connection: the statistics this test reads are the ones its own backend flushes.
  db = await openPg({ connectionString: t.url, max: 1 });
  await migrate(db, [{ label: 'platform', dir: fileURLToPath(PLATFORM_MIGRATIONS) }]);
  // 30,000 steps in time order. Few orders with many steps each: the statistics then make a walk
  // down the occurred_at index look cheap for finding one order's latest step, which is the plan
  // PostgreSQL chose on real tables (and, for a new order, it reads every row).
  await db.query(
    `INSERT INTO order_history (order_id, status, previous_status, actor, source, occurred_at, traceparent)
     SELECT md5(o::text)::uuid, 'STEP-' || s, NULL, 'customer', 'shop',
            now() - ((100000 - s * 300 - o) || ' ms')::interval, '00-' || md5(o::text) || '-00f067aa0ba902b7-01'
     FROM generate_series(1, 300) o, generate_series(1, 100) s`,
  );
  await db.query('ANALYZE order_history');
});
after(async () => {
  await db.close();
  await t.drop();
});

/** Scans of order_history so far, as this backend's statistics say: whole-table and by order id. */
async function historyScans(): Promise<{ seq: number; byOrder: number }> {
  await db.query('SELECT pg_stat_force_next_flush()');
  await db.query('SELECT pg_stat_clear_snapshot()');
  const r = await db.query<{ seq: number; by_order: number }>(
    `SELECT t.seq_scan::int AS seq, i.idx_scan::int AS by_order
     FROM pg_stat_user_tables t JOIN pg_stat_user_indexes i USING (relid)
     WHERE t.relname = 'order_history' AND i.indexrelname = 'order_history_once'`,
  );
  return { seq: r.rows[0]?.seq ?? 0, byOrder: r.rows[0]?.by_order ?? 0 };
}

test('recording the first steps of new orders reads the history by order id, never all of it', async () => {
  const before = await historyScans();
  // More than five times: PostgreSQL may switch a prepared statement to its generic plan then.
  for (let i = 0; i < 8; i++) {
    const orderId = uuidv7();
    await db.tx(async (q) => {
      await recordTransition(q, 'shop', {
        orderId,
        from: null,
        type: 'order.initiated.v1',
        payload: { orderId, orderNumber: `T-${i}`, channel: 'b2c', actor: 'customer', kind: 'catalog' },
      });
      await recordTransition(q, 'shop', {
        orderId,
        from: 'INITIATED',
        type: 'order.cancelled.v1',
        payload: { orderId, orderNumber: `T-${i}`, channel: 'b2c', actor: 'customer', reason: 'test' },
      });
    });
  }
  const afterwards = await historyScans();
  assert.equal(afterwards.seq, before.seq, 'a sequential scan of the history');
  assert.ok(afterwards.byOrder > before.byOrder, 'the history read by order id');
});
