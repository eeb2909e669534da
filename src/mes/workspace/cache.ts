import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Queryable } from '../../platform/db/types.js';

/** This MES database's cache namespace (made by its migration). */
export async function cacheNamespace(q: Queryable): Promise<string> {
  const r = await q.query<{ value: string }>(`SELECT value FROM mes_settings WHERE name = 'cache_namespace'`);
  return r.rows[0]?.value ?? 'default';
}

/** Reads one cached value and the version it must belong to, in one round trip. */
const READ = `local v = redis.call('GET', KEYS[1]) or '0'
return {v, redis.call('GET', KEYS[2] .. ':' .. v)}`;

const TTL_SECONDS = 30;
const VERSION_TTL_SECONDS = 24 * 3600;
const CONNECT_WAIT_MS = 3000;

/**
 * Cache-aside for the two workspace reads the dashboard benchmark found worth it (the counts and
 * the first page of the default list: a hit saves most of the time, see the README). Each value
 * is stored under the version current when its database read began; a change bumps the version
 * (the live feed calls `invalidate`), so a value read before a change can never be served after
 * it, even if it is written back late. The cache never fails a read: on any Redis error the
 * database answers.
 */
export class WorkspaceCache {
  private readonly redis: Redis;
  private warned = false;

  /**
   * Connects, waiting up to a few seconds: commands are not queued while Redis is away (a read
   * must not wait for it), so the first ones should find it connected. A Redis that does not
   * answer in time is not an error: reads go to the database until it does.
   */
  static async open(url: string, namespace: string, logger: Logger): Promise<WorkspaceCache> {
    const cache = new WorkspaceCache(url, namespace, logger);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, CONNECT_WAIT_MS);
      cache.redis.once('ready', () => (clearTimeout(timer), resolve()));
    });
    return cache;
  }

  private constructor(
    url: string,
    private readonly namespace: string,
    private readonly logger: Logger,
  ) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', (err: unknown) => this.warn(err));
    this.redis.on('ready', () => (this.warned = false));
  }

  private key(name: string): string {
    return `atelier:mes:${this.namespace}:${name}`;
  }

  /** The cached value, or `load()`'s (then stored). `source` says which answered. */
  async read<T>(name: string, load: () => Promise<T>): Promise<{ value: T; source: 'cache' | 'database' }> {
    let version: string;
    try {
      const [v, hit] = (await this.redis.eval(READ, 2, this.key('version'), this.key(name))) as [
        string,
        string | null,
      ];
      if (hit !== null) return { value: JSON.parse(hit) as T, source: 'cache' };
      version = v;
    } catch (err) {
      this.warn(err);
      return { value: await load(), source: 'database' };
    }
    const value = await load();
    this.redis
      .set(`${this.key(name)}:${version}`, JSON.stringify(value), 'EX', TTL_SECONDS)
      .catch((err: unknown) => this.warn(err));
    return { value, source: 'database' };
  }

  /** Something changed: every value stored so far belongs to an older version. */
  invalidate(): void {
    // The version outlives every value stored under it (TTL_SECONDS), then goes too: an idle
    // namespace (a test's, a dropped database's) leaves nothing behind for long.
    const key = this.key('version');
    this.redis
      .multi()
      .incr(key)
      .expire(key, VERSION_TTL_SECONDS)
      .exec()
      .catch((err: unknown) => this.warn(err));
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  private warn(err: unknown): void {
    if (this.warned) return;
    this.warned = true;
    this.logger.warn({ err }, 'workspace cache (Redis) unavailable: reading from the database');
  }
}
