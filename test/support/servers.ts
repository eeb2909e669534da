/**
 * The real local servers the integration tests use. They are required: a missing server fails
 * the test with a message saying which one and how to start it (never a silent skip).
 */
import { Socket } from 'node:net';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const AMQP_URL = process.env.TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = new Socket();
    s.setTimeout(1000);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
    s.once('timeout', () => (s.destroy(), resolve(false)));
    s.connect(port, host);
  });
}

const DEFAULT_PORTS = { PostgreSQL: 5432, RabbitMQ: 5672, Redis: 6379 } as const;

export async function requireServer(name: keyof typeof DEFAULT_PORTS, url: string): Promise<void> {
  const u = new URL(url);
  const port = Number(u.port || DEFAULT_PORTS[name]);
  if (!(await reachable(u.hostname, port))) {
    throw new Error(
      `${name} is not reachable at ${u.hostname}:${port}; these tests need the real server (see README, "Set-up on a fresh machine").`,
    );
  }
}

/** A fresh, empty database on the local PostgreSQL; drop() removes it. */
export async function createTestDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  await requireServer('PostgreSQL', PG_ADMIN_URL);
  const name = `atelier_t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** The MES cache's keys on the shared Redis now (`atelier:mes:*`). */
export async function mesCacheKeys(): Promise<Set<string>> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  try {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', 'atelier:mes:*', 'COUNT', 1000);
      for (const k of batch) keys.add(k);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  } finally {
    redis.disconnect();
  }
}

/**
 * Deletes the MES cache keys that appeared since `before` (test files run one at a time): the
 * version keys outlive a test platform by a day otherwise.
 */
export async function deleteMesCacheKeysSince(before: Set<string>): Promise<void> {
  const added = [...(await mesCacheKeys())].filter((k) => !before.has(k));
  if (added.length === 0) return;
  const redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
  try {
    await redis.del(...added);
  } finally {
    redis.disconnect();
  }
}
