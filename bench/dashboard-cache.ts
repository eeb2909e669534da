/**
 * Redis cache-aside for two workspace reads (the counts, the first page of the default list):
 * what the service would do to answer from PostgreSQL (prepared query, rows to JSON) against a
 * hit (GET of the cached JSON, sent as is) and a miss (GET, the PostgreSQL read, SET with a TTL).
 * Measured on the archive layout, on warm connections, one request at a time.
 */
import { Redis } from 'ioredis';
import type pg from 'pg';
import { COUNTS, percentile, shippedSql } from './dashboard-queries.js';

/** A cached read pays off when a hit is at least this much faster at p50 and at p95. */
export const PAYS_OFF_SHARE = 0.25;

export interface CacheRow {
  read: string;
  pg: { p50: number; p95: number };
  hit: { p50: number; p95: number };
  miss: { p50: number; p95: number };
  paysOff: boolean;
}

async function timeUs(runs: number, fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (let i = 0; i < Math.min(200, runs); i++) await fn();
  const t: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    t.push((performance.now() - s) * 1000);
  }
  t.sort((a, b) => a - b);
  return { p50: percentile(t, 0.5), p95: percentile(t, 0.95) };
}

/** The rows, or why Redis could not be reached (the section is then left out). */
export async function cacheAside(
  archive: pg.Client,
  redisUrl: string,
  runs: number,
): Promise<CacheRow[] | { unreachable: string }> {
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (err) {
    return { unreachable: (err as Error).message };
  }
  const firstPage = shippedSql('archive', {});
  const reads = [
    { read: 'counts', name: 'cache_counts', text: COUNTS, values: [] as unknown[] },
    {
      read: 'first page, all active orders (the default list)',
      name: 'cache_first_page',
      text: firstPage.sql,
      values: firstPage.params,
    },
  ];
  const out: CacheRow[] = [];
  try {
    for (const r of reads) {
      const key = `atelier-bench-dashboard:${r.name}`;
      const fromPg = async (): Promise<string> =>
        JSON.stringify((await archive.query({ name: r.name, text: r.text, values: r.values })).rows);
      await redis.set(key, await fromPg(), 'EX', 60);
      const pgTime = await timeUs(runs, fromPg);
      const hit = await timeUs(runs, async () => {
        const v = await redis.get(key);
        if (v === null) throw new Error(`${key} expired during the run`);
        return v;
      });
      // A new key each time, so every GET misses; each fills itself and expires a moment later.
      let n = 0;
      const miss = await timeUs(Math.ceil(runs / 4), async () => {
        const missKey = `${key}:miss:${n++}`;
        if ((await redis.get(missKey)) !== null) throw new Error(`${missKey} should be missing`);
        await redis.set(missKey, await fromPg(), 'PX', 2000);
      });
      await redis.del(key);
      out.push({
        read: r.read,
        pg: pgTime,
        hit,
        miss,
        paysOff: hit.p50 <= pgTime.p50 * (1 - PAYS_OFF_SHARE) && hit.p95 <= pgTime.p95 * (1 - PAYS_OFF_SHARE),
      });
    }
  } finally {
    redis.disconnect();
  }
  return out;
}
