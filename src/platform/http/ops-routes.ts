import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/types.js';
import type { InboxConsumer } from '../messaging/consumer.js';
import { listDeadLetters, replayDeadLetter } from '../messaging/dead-letters.js';
import type { OutboxRelay } from '../messaging/relay.js';
import type { Transport } from '../messaging/transport.js';
import { requireToken } from './auth.js';

/** Routes every service has: health, the outbox backlog and its dead letters. */
export function registerOpsRoutes(
  app: FastifyInstance,
  d: {
    db: Db;
    /** The read replica, or `db` itself when none is configured. */
    readDb: Db;
    transport: Transport;
    config: Config;
    relay: OutboxRelay;
    consumer: InboxConsumer;
  },
): void {
  app.get(
    '/health',
    { schema: { tags: ['operations'], summary: 'Liveness, database and messaging figures' } },
    async () => {
      const backlog = (
        await d.db.query<{ unsent: number; oldest: string | null }>(
          'SELECT count(*)::int AS unsent, min(created_at) AS oldest FROM outbox WHERE sent_at IS NULL',
        )
      ).rows[0];
      const dead = (
        await d.db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM dead_letters WHERE replayed_at IS NULL',
        )
      ).rows[0];
      return {
        status: 'ok',
        database: { engine: d.db.engine, pool: d.db.stats() },
        reads: await readsFigures(d.db, d.readDb),
        transport: d.transport.kind,
        outbox: {
          unsent: backlog?.unsent ?? 0,
          oldestUnsentAt: backlog?.oldest ?? null,
          published: d.relay.published,
        },
        consumer: d.consumer.counts,
        deadLetters: dead?.n ?? 0,
      };
    },
  );

  app.get(
    '/dead-letters',
    {
      schema: {
        tags: ['operations'],
        summary: 'Messages that ran out of retries (administrator token: envelopes hold customer data)',
        security: [{ bearer: [] }],
        querystring: Type.Object({
          includeReplayed: Type.Optional(Type.Boolean()),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
      },
    },
    async (req) => {
      requireToken(req, d.config.ADMIN_TOKEN, 'administrator');
      const q = req.query as { includeReplayed?: boolean; limit?: number };
      return { items: await listDeadLetters(d.db, q) };
    },
  );

  app.post(
    '/dead-letters/:id/replay',
    {
      schema: {
        tags: ['operations'],
        summary: 'Send a dead letter back to its consumer (administrator token)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        security: [{ bearer: [] }],
      },
    },
    async (req) => {
      requireToken(req, d.config.ADMIN_TOKEN, 'administrator');
      await replayDeadLetter(d.db, d.transport, (req.params as { id: string }).id);
      return { replayed: true };
    },
  );
}

/**
 * Where the lagging reads go. With a replica: whether it is a standby (in recovery) and the
 * commit time of the last transaction it replayed, so an operator sees a broken or stale
 * replica. A replica that does not answer is reported, not thrown: writes still work.
 */
async function readsFigures(db: Db, readDb: Db) {
  if (readDb === db) return { replica: false as const };
  const pool = readDb.stats();
  try {
    const r = (
      await readDb.query<{ in_recovery: boolean; replayed_at: string | null }>(
        'SELECT pg_is_in_recovery() AS in_recovery, pg_last_xact_replay_timestamp() AS replayed_at',
      )
    ).rows[0];
    return {
      replica: true as const,
      inRecovery: r?.in_recovery ?? false,
      lastReplayedCommitAt: r?.replayed_at ?? null,
      pool,
    };
  } catch (err) {
    return { replica: true as const, error: (err as Error).message, pool };
  }
}
