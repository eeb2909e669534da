import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import { randomBytes } from 'node:crypto';
import type { Envelope } from '../../src/contracts/envelope.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { openPg } from '../../src/platform/db/pg.js';
import type { Db } from '../../src/platform/db/types.js';
import { createLogger } from '../../src/platform/logger.js';
import { deleteNamespace as deleteAmqpNamespace } from '../../src/platform/messaging/amqp-admin.js';
import { AmqpTransport, amqpNames } from '../../src/platform/messaging/amqp-transport.js';
import { EmbeddedTransport } from '../../src/platform/messaging/embedded-transport.js';
import { newMessageId } from '../../src/platform/messaging/envelope.js';
import {
  InboxConsumer,
  type AnyHandler,
  type ConsumerOptions,
  type Handler,
} from '../../src/platform/messaging/consumer.js';
import type { Transport } from '../../src/platform/messaging/transport.js';
import { PLATFORM_MIGRATIONS } from '../../src/platform/service.js';
import { AMQP_URL, createTestDatabase, requireServer } from './servers.js';

export const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
export const RETRY_TIERS = [50, 100, 200];
/** This test process's exchanges and queues on the shared broker, removed by deleteTestNamespace. */
export const TEST_NAMESPACE = `atelier-test-msg-${randomBytes(3).toString('hex')}`;

/** A service-like database: the platform's messaging tables plus a table recording effects. */
export async function serviceDb(label: string): Promise<{ db: Db; url: string; drop(): Promise<void> }> {
  const t = await createTestDatabase(label);
  const db = await openPg({ connectionString: t.url, max: 8 });
  await migrate(db, [{ label: 'platform', dir: fileURLToPath(PLATFORM_MIGRATIONS) }]);
  await db.query('CREATE TABLE test_effects (order_id uuid NOT NULL, message_id uuid NOT NULL)');
  return {
    db,
    url: t.url,
    async drop() {
      await db.close();
      await t.drop();
    },
  };
}

export async function amqpTransport(): Promise<AmqpTransport> {
  await requireServer('RabbitMQ', AMQP_URL);
  const t = new AmqpTransport({
    url: AMQP_URL,
    logger,
    retryTiersMs: RETRY_TIERS,
    deliveryLimit: 5,
    namespace: TEST_NAMESPACE,
  });
  await t.start();
  return t;
}

/** The embedded broker on its own PostgreSQL database (the same code PGlite runs in embedded mode). */
export async function embeddedTransport(): Promise<{ transport: EmbeddedTransport; drop(): Promise<void> }> {
  const t = await createTestDatabase('broker');
  const db = await openPg({ connectionString: t.url, max: 4 });
  await migrate(db, [
    {
      label: 'broker',
      dir: fileURLToPath(new URL('../../src/platform/migrations/broker/', import.meta.url)),
    },
  ]);
  const transport = new EmbeddedTransport(db, { pollMs: 50, leaseMs: 2000, maxRedeliveries: 5 });
  await transport.start();
  return {
    transport,
    async drop() {
      await transport.close();
      await db.close();
      await t.drop();
    },
  };
}

export function consumerName(label: string): string {
  return `test-${label}-${randomBytes(3).toString('hex')}`;
}

/** Removes a test consumer's RabbitMQ queues. */
export async function deleteQueues(
  consumer: string,
  namespace = TEST_NAMESPACE,
  tiers = RETRY_TIERS,
): Promise<void> {
  const n = amqpNames(namespace);
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  for (const q of [
    n.queue(consumer),
    n.deadQueue(consumer),
    ...tiers.map((t) => n.retryQueue(consumer, t)),
  ]) {
    await ch.deleteQueue(q).catch(() => undefined);
  }
  await conn.close();
}

/** Removes the exchanges amqpTransport() declared (its consumers' queues go with deleteQueues). */
export function deleteTestNamespace(): Promise<void> {
  return deleteAmqpNamespace(AMQP_URL, TEST_NAMESPACE, [], RETRY_TIERS);
}

export function cancelledEvent(orderId: string, reason = 'test'): Envelope {
  return {
    id: newMessageId(),
    type: 'order.cancelled.v1',
    occurredAt: new Date().toISOString(),
    orderId,
    source: 'test',
    payload: { orderId, orderNumber: 'T-1', channel: 'b2c', actor: 'test', reason },
  };
}

/**
 * The transport with each delivery's ack replaced by `ack`: how a test makes a consumer crash
 * at its ack, after its transaction committed.
 */
export function withAck(t: AmqpTransport, ack: () => Promise<void>): Transport {
  return {
    ...t,
    kind: 'amqp',
    publish: (m) => t.publish(m),
    sendToConsumer: (c, m) => t.sendToConsumer(c, m),
    close: () => t.close(),
    subscribe: (opts) => t.subscribe({ ...opts, onMessage: (d) => opts.onMessage({ ...d, ack }) }),
  };
}

/** A handler whose effect is one test_effects row per message, in the inbox transaction. */
export const recordEffect: Handler = async (event, q) => {
  await q.query('INSERT INTO test_effects (order_id, message_id) VALUES ($1, $2)', [event.orderId, event.id]);
};

/**
 * An inbox consumer of order cancellations on `db`, as the messaging tests set them up:
 * `handler` (recordEffect by default) handles each, with whatever other options a test adds.
 */
export function cancellationConsumer(
  db: Db,
  transport: Transport,
  consumer: string,
  opts: { handler?: AnyHandler } & Partial<
    Omit<ConsumerOptions, 'db' | 'transport' | 'logger' | 'consumer' | 'handlers'>
  > = {},
): InboxConsumer {
  const { handler = recordEffect, ...rest } = opts;
  return new InboxConsumer({
    db,
    transport,
    logger,
    consumer,
    handlers: { 'order.cancelled.v1': handler },
    ...rest,
  });
}

export async function effectsFor(db: Db, orderId: string): Promise<number> {
  return (
    await db.query<{ n: number }>('SELECT count(*)::int AS n FROM test_effects WHERE order_id = $1', [
      orderId,
    ])
  ).rows[0]!.n;
}

export type { Transport };
