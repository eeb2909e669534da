import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config.js';
import type { Db } from '../db/types.js';
import type { InboxConsumer } from '../messaging/consumer.js';
import { listDeadLetters, replayDeadLetter } from '../messaging/dead-letters.js';
import type { OutboxRelay } from '../messaging/relay.js';
import type { Transport } from '../messaging/transport.js';
import { knownOrders } from '../orders/reconciliation.js';
import { requireToken } from './auth.js';
import { EVENT_TYPES } from '../../contracts/events.js';
import type { Faults } from '../messaging/faults.js';
import { envelopeOf, type OutboxRow } from '../messaging/outbox.js';
import { OutboxRowNotFoundError, UnknownConsumerError } from './errors.js';
import { SERVICE_PREFIXES } from '../../contracts/order-status.js';

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
    faults: Faults;
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
    '/reconciliation/orders',
    {
      schema: {
        tags: ['operations'],
        summary:
          'The orders this service handled a message for, or moved itself, since a point in time, with the event patterns it consumes (administrator token; the tracker compares them)',
        security: [{ bearer: [] }],
        querystring: Type.Object({
          since: Type.String({ format: 'date-time' }),
          after: Type.Optional(Type.String({ format: 'uuid' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000 })),
          orderId: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 1000 })),
        }),
      },
    },
    async (req) => {
      requireToken(req, d.config.ADMIN_TOKEN, 'administrator');
      const q = req.query as { since: string; after?: string; limit?: number; orderId?: string[] };
      const limit = q.limit ?? 2000;
      const orders = await knownOrders(d.db, d.consumer.name, {
        since: new Date(q.since),
        limit,
        ...(q.after ? { after: q.after } : {}),
        ...(q.orderId ? { orderIds: q.orderId } : {}),
      });
      return {
        service: d.consumer.name,
        consumes: d.consumer.patterns,
        orders,
        next: orders.length === limit ? orders.at(-1)?.orderId : undefined,
      };
    },
  );

  app.get(
    '/faults',
    {
      schema: {
        tags: ['operations'],
        summary: "This process's fault injection switches (administrator token)",
        security: [{ bearer: [] }],
      },
    },
    async (req) => {
      requireToken(req, d.config.ADMIN_TOKEN, 'administrator');
      return { ...d.faults, relayPaused: d.relay.paused };
    },
  );

  const EventTypeOrNull = Type.Union([Type.Union(EVENT_TYPES.map((t) => Type.Literal(t))), Type.Null()]);
  app.put(
    '/faults',
    {
      schema: {
        tags: ['operations'],
        summary:
          "Flip this process's fault injection switches: fail, drop, duplicate or slow down one event type in its consumer; make the broker unreachable for its relay or pause the relay (administrator token; for tests and drills)",
        security: [{ bearer: [] }],
        body: Type.Object(
          {
            failEventType: Type.Optional(EventTypeOrNull),
            dropEventType: Type.Optional(EventTypeOrNull),
            duplicateEventType: Type.Optional(EventTypeOrNull),
            slowEventType: Type.Optional(EventTypeOrNull),
            slowMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000 })),
            brokerUnreachable: Type.Optional(Type.Boolean()),
            relayPaused: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (req) => {
      requireToken(req, d.config.ADMIN_TOKEN, 'administrator');
      // The schema admits only the switches' own names and types (no additional properties).
      const { relayPaused, ...switches } = req.body as Partial<Faults> & { relayPaused?: boolean };
      Object.assign(d.faults, switches);
      if (relayPaused !== undefined) d.relay.setPaused(relayPaused);
      req.log.warn({ faults: d.faults, relayPaused: d.relay.paused }, 'fault injection switches changed');
      return { ...d.faults, relayPaused: d.relay.paused };
    },
  );

  app.post(
    '/outbox/:id/redeliver',
    {
      schema: {
        tags: ['operations'],
        summary:
          'Deliver an event this service published once more, to one consumer that lost it (administrator token); a consumer that had it ignores the repeat',
        security: [{ bearer: [] }],
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        body: Type.Object(
          { consumer: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
      },
    },
    async (req, reply) => {
      requireToken(req, d.config.ADMIN_TOKEN, 'administrator');
      const { id } = req.params as { id: string };
      const { consumer } = req.body as { consumer: string };
      // Checked here: the broker would take a message for a queue nobody reads (or drop it) and
      // the answer would still say "redelivered".
      if (!Object.hasOwn(SERVICE_PREFIXES, consumer))
        throw new UnknownConsumerError(consumer, Object.keys(SERVICE_PREFIXES).join(', '));
      const row = (
        await d.db.query<OutboxRow>(
          'SELECT seq, id, aggregateid, type, payload, headers FROM outbox WHERE id = $1',
          [id],
        )
      ).rows[0];
      if (!row) throw new OutboxRowNotFoundError(id);
      await d.transport.sendToConsumer(consumer, envelopeOf(row));
      return reply.status(202).send({ redelivered: id, to: consumer });
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
          unhandled: Type.Optional(
            Type.Boolean({
              description: 'Every dead letter whose message is not handled yet, replayed or not',
            }),
          ),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
      },
    },
    async (req) => {
      requireToken(req, d.config.ADMIN_TOKEN, 'administrator');
      const q = req.query as { includeReplayed?: boolean; unhandled?: boolean; limit?: number };
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
