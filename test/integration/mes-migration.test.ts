/**
 * Upgrading an MES database from the single production table to the partitioned workspace
 * layout keeps every order: active ones land in the active partition, ended ones in the
 * archive, and the counts and operators' numbers start out right. The database's list of
 * statuses on an operator's hands is the code's.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { migrate, splitSql } from '../../src/platform/db/migrate.js';
import { openPg } from '../../src/platform/db/pg.js';
import { migrateService, PLATFORM_MIGRATIONS } from '../../src/platform/service.js';
import { mes } from '../../src/mes/index.js';
import { ON_HAND_STATUSES, ORDER_STATUSES } from '../../src/contracts/order-status.js';
import { createTestDatabase } from '../support/servers.js';

test('the 0002 migration moves v1 production orders into the partitions and counts them', async () => {
  const tdb = await createTestDatabase('mes_upgrade');
  const db = await openPg({ connectionString: tdb.url, max: 2 });
  try {
    const mesDir = fileURLToPath(new URL('../../src/mes/migrations/', import.meta.url));
    // The database as the previous version left it: platform tables and 0001 only.
    await migrate(db, [{ label: 'platform', dir: fileURLToPath(PLATFORM_MIGRATIONS) }]);
    for (const stmt of splitSql(readFileSync(`${mesDir}/0001_mes.sql`, 'utf8'))) await db.query(stmt);
    await db.query(`INSERT INTO schema_migrations (name) VALUES ('mes/0001_mes.sql')`);
    await db.query(`
      INSERT INTO production_orders (id, number, channel, kind, status, alloy, quantity, operator, approved_at,
                                     created_at, updated_at)
      VALUES (gen_random_uuid(), 'S-0000001', 'b2c', 'catalog', 'MANUFACTURING_APPROVED', 'gold-585', 1, NULL, now(), now(), now()),
             (gen_random_uuid(), 'S-0000002', 'b2c', 'catalog', 'MANUFACTURING_STARTED', 'gold-585', 1, 'olga', now(), now(), now()),
             (gen_random_uuid(), 'S-0000003', 'b2b', 'catalog', 'CLOSED', 'gold-585', 1, 'olga', now(), '2025-03-02', '2025-03-20'),
             (gen_random_uuid(), 'S-0000004', 'b2c', 'custom', 'CANCELLED', 'silver-925', 2, NULL, NULL, '2025-04-02', '2025-04-03')`);

    await migrate(db, [
      { label: 'platform', dir: fileURLToPath(PLATFORM_MIGRATIONS) },
      { label: 'mes', dir: mesDir },
    ]);

    const rows = await db.query<{ number: string; part: string; status: string; archive_month: string }>(
      `SELECT number, tableoid::regclass::text AS part, status, archive_month::text FROM production_orders ORDER BY number`,
    );
    assert.deepEqual(
      rows.rows.map((r) => [r.number, r.part, r.archive_month]),
      [
        ['S-0000001', 'production_orders_active', 'infinity'],
        ['S-0000002', 'production_orders_active', 'infinity'],
        ['S-0000003', 'production_orders_archive', '2025-03-01'],
        ['S-0000004', 'production_orders_archive', '2025-04-01'],
      ],
    );
    const counts = await db.query<{ status: string; orders: number }>(
      'SELECT status, orders FROM production_status_counts WHERE orders <> 0 ORDER BY status',
    );
    assert.deepEqual(
      counts.rows.map((r) => [r.status, Number(r.orders)]),
      [
        ['CANCELLED', 1],
        ['CLOSED', 1],
        ['MANUFACTURING_APPROVED', 1],
        ['MANUFACTURING_STARTED', 1],
        ['QUEUE', 1],
      ],
    );
    const olga = await db.query<{ on_hand: number; taken: number }>(
      `SELECT on_hand, taken FROM operator_numbers WHERE operator = 'olga'`,
    );
    assert.deepEqual(olga.rows[0], { on_hand: 1, taken: 2 });
    assert.equal((await db.query('SELECT 1 FROM workspace_events')).rowCount, 0, 'history is not news');
    assert.equal((await db.query(`SELECT to_regclass('production_orders_v1') AS t`)).rows[0]?.t, null);
  } finally {
    await db.close();
    await tdb.drop();
  }
});

test('the database counts an order on an operator’s hands in the statuses the code does', async () => {
  const tdb = await createTestDatabase('mes_on_hand');
  const db = await openPg({ connectionString: tdb.url, max: 2 });
  try {
    await migrateService(mes, db);
    const r = await db.query<{ status: string; assigned: boolean; unassigned: boolean }>(
      `SELECT s AS status, mes_on_hand(s, 'olga') AS assigned, mes_on_hand(s, NULL) AS unassigned
       FROM unnest($1::text[]) AS s`,
      [[...ORDER_STATUSES]],
    );
    assert.deepEqual(
      r.rows.filter((row) => row.assigned).map((row) => row.status),
      [...ON_HAND_STATUSES],
    );
    assert.deepEqual(
      r.rows.filter((row) => row.unassigned).map((row) => row.status),
      [],
      'an order nobody holds is on no one’s hands',
    );
  } finally {
    await db.close();
    await tdb.drop();
  }
});
