import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import {
  dbPoolConnections,
  deadLettersOpen,
  outboxOldestAge,
  outboxUnpublished,
  registry,
} from './metrics.js';

/** Reads figures that live in a database or a pool into their gauges, just before a scrape. */
export type ScrapeSource = () => Promise<void>;

const sources = new Set<ScrapeSource>();

/** Adds a source for this process's scrapes; the returned function removes it (at stop). */
export function addScrapeSource(source: ScrapeSource): () => void {
  sources.add(source);
  return () => sources.delete(source);
}

/**
 * The figures every service has: its outbox backlog and the age of the oldest unpublished row,
 * its open dead letters, its database pools. Both reads use partial indexes on unsent rows and
 * open dead letters, so a scrape stays cheap however large the tables grow.
 */
export function serviceScrapeSource(service: string, db: Db, readDb: Db): ScrapeSource {
  return async () => {
    const backlog = (
      await db.query<{ unsent: number; age: number | null }>(
        `SELECT count(*)::int AS unsent, extract(epoch FROM now() - min(created_at))::float8 AS age
         FROM outbox WHERE sent_at IS NULL`,
      )
    ).rows[0];
    outboxUnpublished.set({ service }, backlog?.unsent ?? 0);
    outboxOldestAge.set({ service }, Math.max(0, backlog?.age ?? 0));
    const dead = await db.query<{ consumer: string; n: number }>(
      'SELECT consumer, count(*)::int AS n FROM dead_letters WHERE replayed_at IS NULL GROUP BY consumer',
    );
    deadLettersOpen.set({ consumer: service }, 0);
    for (const r of dead.rows) deadLettersOpen.set({ consumer: r.consumer }, r.n);
    setPool(service, 'primary', db);
    if (readDb !== db) setPool(service, 'replica', readDb);
  };
}

function setPool(service: string, pool: string, db: Db): void {
  const s = db.stats();
  dbPoolConnections.set({ service, pool, state: 'total' }, s.total);
  dbPoolConnections.set({ service, pool, state: 'idle' }, s.idle);
  dbPoolConnections.set({ service, pool, state: 'waiting' }, s.waiting);
}

/**
 * `GET /metrics` in the Prometheus text format. A source that fails (a database down) is
 * logged and its gauges keep their last value; the rest of the scrape is still served.
 */
export function registerMetricsRoute(app: FastifyInstance, logger: Logger): void {
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const results = await Promise.allSettled([...sources].map((s) => s()));
    for (const r of results)
      if (r.status === 'rejected')
        logger.warn({ err: r.reason }, 'a metrics source failed; its gauges are stale');
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}
