/**
 * Reads that may lag go to a read replica when one is configured: a real streaming standby of
 * the local PostgreSQL (test/support/replica.ts), opened the way the runtime opens it. It is in
 * recovery, sees what the primary committed once replayed, refuses every write, and the MES
 * started with MES_READ_DATABASE_URL reports in /health that its reads go there.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { databaseUrl } from '../../src/cli/cluster.js';
import { startHost } from '../../src/cli/host.js';
import { mes } from '../../src/mes/index.js';
import { ConfigError, loadConfig, readDatabaseUrlFor } from '../../src/platform/config.js';
import type { Db } from '../../src/platform/db/types.js';
import { createLogger } from '../../src/platform/logger.js';
import { openReadDb, openServiceDb } from '../../src/platform/runtime.js';
import { migrateService } from '../../src/platform/service.js';
import { startReplica, type Replica } from '../support/replica.js';
import { PG_ADMIN_URL } from '../support/servers.js';

/** PostgreSQL's read_only_sql_transaction: what a standby and a read-only session answer a write with. */
const READ_ONLY = { code: '25006' };

describe('read replica', () => {
  const name = `atelier_replica_${randomBytes(4).toString('hex')}`;
  const brokerName = `${name}_broker`;
  const primaryUrl = databaseUrl(PG_ADMIN_URL, name);
  const config = loadConfig({ ...process.env, DATABASE_POOL_SIZE: '4' });
  let replica: Replica | undefined;
  let primary: Db | undefined;
  const orderId = randomUUID();

  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };

  before(async () => {
    replica = await startReplica();
    // Created after the base backup: the database reaches the standby through WAL replay.
    await admin(`CREATE DATABASE ${name}`);
    await admin(`CREATE DATABASE ${brokerName}`);
    primary = await openServiceDb('mes', config, 'distributed', { MES_DATABASE_URL: primaryUrl });
    await migrateService(mes, primary);
    await primary.query(
      `INSERT INTO production_orders (id, number, channel, kind, status, alloy, quantity, due_at)
       VALUES ($1, 'R-1', 'b2c', 'catalog', 'MANUFACTURING_APPROVED', 'gold-18k', 1, now() + interval '21 days')`,
      [orderId],
    );
    await replica.waitForReplay();
  });

  after(async () => {
    await primary?.close();
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin(`DROP DATABASE IF EXISTS ${brokerName} WITH (FORCE)`);
    await replica?.stop();
  });

  test('the read pool the runtime opens is a standby in recovery and sees the replayed row', async () => {
    const readDb = await openReadDb('mes', config, 'distributed', {
      MES_READ_DATABASE_URL: replica!.url(name),
    });
    assert.ok(readDb, 'a read URL is configured, so there is a read pool');
    try {
      const r = await readDb.query<{ in_recovery: boolean }>('SELECT pg_is_in_recovery() AS in_recovery');
      assert.equal(r.rows[0]?.in_recovery, true);
      const row = await readDb.query<{ number: string }>(
        'SELECT number FROM production_orders WHERE id = $1',
        [orderId],
      );
      assert.deepEqual(row.rows, [{ number: 'R-1' }]);
      // The counts the workspace reads, kept by the trigger on the primary, replayed here.
      const counts = await readDb.query<{ orders: number }>(
        "SELECT orders FROM production_status_counts WHERE status = 'MANUFACTURING_APPROVED'",
      );
      assert.equal(Number(counts.rows[0]?.orders), 1);

      // A later write on the primary is visible once replayed.
      await primary!.query("UPDATE production_orders SET operator = 'op-1' WHERE id = $1", [orderId]);
      await replica!.waitForReplay();
      const updated = await readDb.query<{ operator: string }>(
        'SELECT operator FROM production_orders WHERE id = $1',
        [orderId],
      );
      assert.equal(updated.rows[0]?.operator, 'op-1');
    } finally {
      await readDb.close();
    }
  });

  test('nothing can write through the read pool', async () => {
    const readDb = await openReadDb('mes', config, 'distributed', {
      MES_READ_DATABASE_URL: replica!.url(name),
    });
    assert.ok(readDb);
    try {
      await assert.rejects(
        readDb.query("UPDATE production_orders SET operator = 'intruder' WHERE id = $1", [orderId]),
        READ_ONLY,
      );
      await assert.rejects(
        readDb.tx((q) => q.query('CREATE TABLE written_on_the_replica (id int)')),
        READ_ONLY,
      );
    } finally {
      await readDb.close();
    }
    // The standby itself refuses, whatever the session asks for.
    const c = new pg.Client({ connectionString: replica!.url(name) });
    await c.connect();
    try {
      await assert.rejects(
        c.query('SET default_transaction_read_only = off; CREATE TABLE t (id int)'),
        READ_ONLY,
      );
    } finally {
      await c.end();
    }
    // A read URL pointing at the primary by mistake still cannot write: the pool is read-only.
    const misconfigured = await openReadDb('mes', config, 'distributed', { READ_DATABASE_URL: primaryUrl });
    assert.ok(misconfigured);
    try {
      await assert.rejects(
        misconfigured.query("UPDATE production_orders SET operator = 'intruder' WHERE id = $1", [orderId]),
        READ_ONLY,
      );
    } finally {
      await misconfigured.close();
    }
    const r = await primary!.query<{ operator: string }>(
      'SELECT operator FROM production_orders WHERE id = $1',
      [orderId],
    );
    assert.notEqual(r.rows[0]?.operator, 'intruder');
  });

  test('no replica configured, or embedded mode: reads go to the primary', async () => {
    assert.equal(await openReadDb('mes', config, 'distributed', { MES_DATABASE_URL: primaryUrl }), undefined);
    assert.equal(
      await openReadDb('mes', config, 'embedded', { MES_READ_DATABASE_URL: replica!.url(name) }),
      undefined,
    );
    const host = await startMes({});
    try {
      const [svc] = host.services;
      assert.equal(svc?.ctx.readDb, svc?.ctx.db, 'readDb is the very same Db as db');
      const health = (await (await fetch(`${host.url}/api/mes/health`)).json()) as {
        reads: { replica: boolean };
      };
      assert.deepEqual(health.reads, { replica: false });
    } finally {
      await host.stop();
    }
  });

  test('the MES started with MES_READ_DATABASE_URL reads from the replica, over READ_DATABASE_URL', async () => {
    // READ_DATABASE_URL names the primary: if the per-service variable did not win, /health
    // would report a server not in recovery.
    const host = await startMes({ MES_READ_DATABASE_URL: replica!.url(name), READ_DATABASE_URL: primaryUrl });
    try {
      const [svc] = host.services;
      assert.notEqual(svc?.ctx.readDb, svc?.ctx.db);
      const res = await fetch(`${host.url}/api/mes/health`);
      assert.equal(res.status, 200);
      const health = (await res.json()) as {
        reads: {
          replica: boolean;
          inRecovery: boolean;
          lastReplayedCommitAt: string | null;
          pool: { total: number };
        };
      };
      assert.equal(health.reads.replica, true);
      assert.equal(health.reads.inRecovery, true);
      assert.ok(health.reads.lastReplayedCommitAt, 'the replica has replayed commits');
      assert.ok(health.reads.pool.total >= 1);
    } finally {
      await host.stop();
    }
  });

  test('the workspace lists and counts read through the replica; claims and cards use the primary', async () => {
    const host = await startMes({ MES_READ_DATABASE_URL: replica!.url(name) });
    const standby = new pg.Client({ connectionString: replica!.url(name) });
    await standby.connect();
    try {
      const list = async () =>
        (await (
          await fetch(`${host.url}/api/mes/workspace/orders?status=MANUFACTURING_APPROVED`)
        ).json()) as {
          items: { id: string }[];
        };
      const counts = async () =>
        (await (await fetch(`${host.url}/api/mes/workspace/counts`)).json()) as { queue: number };
      assert.deepEqual(
        (await list()).items.map((o) => o.id),
        [orderId],
      );
      const queueBefore = (await counts()).queue;
      // With replay paused, a row written on the primary is invisible to the workspace lists
      // (they read the replica) and visible to the order card (it reads the primary).
      await standby.query('SELECT pg_wal_replay_pause()');
      const fresh = randomUUID();
      await primary!.query(
        `INSERT INTO production_orders (id, number, channel, kind, status, alloy, quantity, due_at)
         VALUES ($1, 'R-2', 'b2c', 'catalog', 'MANUFACTURING_APPROVED', 'gold-585', 1, now() + interval '21 days')`,
        [fresh],
      );
      assert.equal((await fetch(`${host.url}/api/mes/orders/${fresh}`)).status, 200);
      assert.deepEqual(
        (await list()).items.map((o) => o.id),
        [orderId],
      );
      assert.equal((await counts()).queue, queueBefore);
      await standby.query('SELECT pg_wal_replay_resume()');
      await replica!.waitForReplay();
      assert.deepEqual(new Set((await list()).items.map((o) => o.id)), new Set([orderId, fresh]));
      assert.equal((await counts()).queue, queueBefore + 1);
    } finally {
      await standby.query('SELECT pg_wal_replay_resume()').catch(() => undefined);
      await standby.end();
      await host.stop();
    }
  });

  test('a per-service read URL that is not a URL is named in the error', () => {
    assert.throws(
      () => readDatabaseUrlFor('mes', { MES_READ_DATABASE_URL: 'replica at 5433' }),
      (err) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /MES_READ_DATABASE_URL/);
        return true;
      },
    );
    assert.equal(readDatabaseUrlFor('mes', { READ_DATABASE_URL: 'postgres://r/x' }), 'postgres://r/x');
    assert.equal(
      readDatabaseUrlFor('mes', {
        READ_DATABASE_URL: 'postgres://r/x',
        MES_READ_DATABASE_URL: 'postgres://r/mes',
      }),
      'postgres://r/mes',
    );
    assert.equal(readDatabaseUrlFor('mes', {}), undefined);
  });

  /** The MES alone, as `atelier serve mes` runs it, in this process, on the test database. */
  async function startMes(extra: Record<string, string>) {
    const env = {
      ...process.env,
      DATABASE_URL: '',
      READ_DATABASE_URL: '',
      MES_DATABASE_URL: primaryUrl,
      MES_READ_DATABASE_URL: '',
      AMQP_URL: '',
      BROKER_DATABASE_URL: databaseUrl(PG_ADMIN_URL, brokerName),
      PORT: '0',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      ...extra,
    };
    const cfg = loadConfig(env);
    return startHost({
      defs: [mes],
      config: cfg,
      logger: createLogger(cfg.LOG_LEVEL),
      mode: 'distributed',
      env,
    });
  }
});
