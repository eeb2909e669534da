/**
 * The e-mail outbox's table has one definition (src/platform/mail/migrations), applied to the
 * databases of the services that send mail and to no other, and it upgrades a database whose
 * table an earlier version's service migration had already made, keeping its queued e-mail.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { mes } from '../../src/mes/index.js';
import { shop } from '../../src/shop/index.js';
import { tracker } from '../../src/tracker/index.js';
import { openPg } from '../../src/platform/db/pg.js';
import type { Db } from '../../src/platform/db/types.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { migrateService, PLATFORM_MIGRATIONS, type ServiceDefinition } from '../../src/platform/service.js';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from '../support/servers.js';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function freshDb(label: string): Promise<Db> {
  const tdb = await createTestDatabase(label);
  const db = await openPg({ connectionString: tdb.url, max: 2 });
  cleanups.push(async () => {
    await db.close();
    await tdb.drop();
  });
  return db;
}

async function hasOutbox(db: Db): Promise<boolean> {
  const r = await db.query<{ t: string | null }>(`SELECT to_regclass('email_outbox')::text AS t`);
  return r.rows[0]?.t === 'email_outbox';
}

for (const def of [mes, tracker, shop] as ServiceDefinition[]) {
  test(`${def.name}: the e-mail outbox ${def.mail ? 'comes from the mail migration' : 'is not made'}`, async () => {
    const db = await freshDb(`mail_${def.name}`);
    const applied = await migrateService(def, db);
    assert.equal(applied.includes('mail/0001_email_outbox.sql'), def.mail === true);
    assert.equal(await hasOutbox(db), def.mail === true);
  });
}

test('a database whose MES migration made the table before keeps its queued e-mail', async () => {
  const db = await freshDb('mail_upgrade');
  // The database as the previous version left it: the platform's and the MES's migrations
  // recorded as applied, and the table as MES 0002_workspace.sql made it then.
  await migrate(db, [
    { label: 'platform', dir: fileURLToPath(PLATFORM_MIGRATIONS) },
    { label: 'mes', dir: fileURLToPath(mes.migrations) },
  ]);
  await db.query(`CREATE TABLE email_outbox (
    id bigserial PRIMARY KEY, recipient text NOT NULL, subject text NOT NULL, body text NOT NULL,
    order_id uuid, created_at timestamptz(3) NOT NULL DEFAULT now(), attempts int NOT NULL DEFAULT 0,
    next_attempt_at timestamptz(3) NOT NULL DEFAULT now(), last_error text, sent_at timestamptz(3))`);
  await db.query(
    `INSERT INTO email_outbox (recipient, subject, body) VALUES ('olga@example.com', 'Queued', 'x')`,
  );

  const applied = await migrateService(mes, db);

  assert.deepEqual(applied, ['mail/0001_email_outbox.sql'], 'only the new migration runs');
  const rows = await db.query<{ subject: string }>('SELECT subject FROM email_outbox');
  assert.deepEqual(
    rows.rows.map((r) => r.subject),
    ['Queued'],
  );
  const due = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'email_outbox' AND indexname = 'email_outbox_due'`,
  );
  assert.equal(due.rows[0]?.n, 1);
});
