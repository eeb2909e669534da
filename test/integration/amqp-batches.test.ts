/**
 * Batch messages on the real RabbitMQ: envelopes of one routing key published together travel
 * as one AMQP message, and every guarantee still holds per envelope: each is handled once, a
 * failing one is retried alone, a consumer that dies before the ack gets the whole batch again
 * with no second effect, and a batch the broker gives up on reaches the dead-letter store as
 * its envelopes.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import amqp from 'amqplib';
import { v7 as uuidv7 } from 'uuid';
import type { Envelope } from '../../src/contracts/envelope.js';
import { AmqpTransport, amqpNames } from '../../src/platform/messaging/amqp-transport.js';
import type { Handler } from '../../src/platform/messaging/consumer.js';
import { listDeadLetters } from '../../src/platform/messaging/dead-letters.js';
import { eventually } from '../support/embedded.js';
import {
  amqpTransport,
  cancellationConsumer,
  cancelledEvent,
  consumerName,
  deleteQueues,
  deleteTestNamespace,
  effectsFor,
  recordEffect,
  withAck,
  logger,
  RETRY_TIERS,
  serviceDb,
  TEST_NAMESPACE,
} from '../support/messaging.js';
import { AMQP_URL } from '../support/servers.js';

after(() => deleteTestNamespace());

function b2b(e: Envelope): Envelope {
  return { ...e, payload: { ...(e.payload as object), channel: 'b2b' } };
}

/** What reaches a raw queue bound like a consumer's: the AMQP messages themselves. */
async function rawTap(pattern: string) {
  const conn = await amqp.connect(AMQP_URL);
  const ch = await conn.createChannel();
  const { queue } = await ch.assertQueue('', { exclusive: true });
  await ch.bindQueue(queue, amqpNames(TEST_NAMESPACE).events, pattern);
  const seen: { batch: unknown; count: number }[] = [];
  await ch.consume(
    queue,
    (m) => {
      if (!m) return;
      const body = JSON.parse(m.content.toString()) as unknown;
      seen.push({ batch: m.properties.headers?.['x-batch'], count: Array.isArray(body) ? body.length : 1 });
    },
    { noAck: true },
  );
  return { seen, close: () => conn.close() };
}

test('one routing key, one AMQP message; each envelope handled once, a failing one retried alone', async () => {
  const svc = await serviceDb('batch_msgs');
  const consumer = consumerName('batch');
  const transport = await amqpTransport();
  const tap = await rawTap('order.cancelled.v1.*');
  const orders = Array.from({ length: 10 }, () => uuidv7());
  const flaky = orders[3] as string;
  // Twice: a batch that fails is handled again message by message before any retry, so the
  // second failure is the one that sends the envelope to a retry queue.
  let failures = 0;
  const handler: Handler = async (event, q) => {
    if (event.orderId === flaky && failures < 2) {
      failures++;
      throw new Error('flaky once');
    }
    await recordEffect(event, q);
  };
  const c = cancellationConsumer(svc.db, transport, consumer, { handler, retryDelaysMs: [50], prefetch: 4 });
  try {
    await c.start();
    // Eight customer cancellations and two partner ones: two routing keys, so two messages.
    const events = orders.map((id, i) => (i < 8 ? cancelledEvent(id) : b2b(cancelledEvent(id))));
    await transport.publish(events);
    await eventually(async () => (c.counts.handled === 10 ? true : undefined), 15_000, 'every envelope');
    for (const id of orders) assert.equal(await effectsFor(svc.db, id), 1, `one effect for ${id}`);
    assert.deepEqual(
      tap.seen.sort((a, b) => b.count - a.count),
      [
        { batch: 8, count: 8 },
        { batch: 2, count: 2 },
      ],
      'one AMQP message per routing key',
    );
    assert.ok(c.counts.retry >= 1, 'the failing envelope was retried');
    assert.equal(c.counts.duplicate, 0, 'the batch was not delivered again for it');
  } finally {
    await c.stop();
    await tap.close();
    await transport.close();
    await deleteQueues(consumer);
    await svc.drop();
  }
});

test('a consumer that dies before acking a batch gets all of it again, each effect once', async () => {
  const svc = await serviceDb('batch_crash');
  const consumer = consumerName('batch-dies');
  const first = await amqpTransport();
  const orders = Array.from({ length: 6 }, () => uuidv7());
  let acks = 0;
  // The first envelope's ack "crashes" the process: the others may or may not have committed.
  const dying = cancellationConsumer(
    svc.db,
    withAck(first, async () => {
      if (acks++ === 0) await first.abort();
    }),
    consumer,
  );
  const second = await amqpTransport();
  const survivor = cancellationConsumer(svc.db, second, consumer);
  const publisher = await amqpTransport();
  try {
    await dying.start();
    await publisher.publish(orders.map((id) => cancelledEvent(id)));
    // The first ack drops the connection; the envelopes already handed on are still handled
    // (committed), and their acks go nowhere.
    await eventually(
      async () => (dying.counts.handled === orders.length ? true : undefined),
      10_000,
      'the first handling',
    );
    assert.ok(acks > 0);
    const before = (await svc.db.query<{ n: number }>('SELECT count(*)::int AS n FROM test_effects')).rows[0]!
      .n;
    assert.equal(before, orders.length, 'the dying consumer committed every envelope before its acks');

    await survivor.start();
    await eventually(
      async () => (survivor.counts.handled + survivor.counts.duplicate === 6 ? true : undefined),
      10_000,
      'the whole batch again',
    );
    assert.equal(survivor.counts.duplicate, before, 'what was committed is a no-op the second time');
    for (const id of orders) assert.equal(await effectsFor(svc.db, id), 1, `one effect for ${id}`);
  } finally {
    await survivor.stop();
    await second.close();
    await publisher.close();
    await deleteQueues(consumer);
    await svc.drop();
  }
});

test('a batch the broker dead-letters reaches the dead-letter store as its envelopes', async () => {
  const svc = await serviceDb('batch_dead');
  const consumer = consumerName('batch-dead');
  const transport = await amqpTransport();
  const c = cancellationConsumer(svc.db, transport, consumer);
  const events = [cancelledEvent(uuidv7()), cancelledEvent(uuidv7()), cancelledEvent(uuidv7())];
  try {
    await c.start();
    // As RabbitMQ dead-letters a message past its delivery limit: to the consumer's dead queue.
    const conn = await amqp.connect(AMQP_URL);
    const ch = await conn.createConfirmChannel();
    ch.publish(amqpNames(TEST_NAMESPACE).deadLetters, consumer, Buffer.from(JSON.stringify(events)), {
      persistent: true,
      headers: { 'x-batch': events.length, 'x-first-death-reason': 'delivery_limit' },
    });
    await ch.waitForConfirms();
    await conn.close();
    const dead = await eventually(
      async () => {
        const rows = await listDeadLetters(svc.db);
        return rows.length === events.length ? rows : undefined;
      },
      10_000,
      'three dead letters',
    );
    assert.deepEqual(
      dead.map((d) => String(d.messageId)).sort(),
      events.map((e) => e.id).sort(),
      'one dead letter per envelope, by its own message id',
    );
    assert.ok(dead.every((d) => String(d.error).includes('delivery_limit')));
  } finally {
    await c.stop();
    await transport.close();
    await deleteQueues(consumer);
    await svc.drop();
  }
});

test('AMQP_BATCH_MESSAGES=false: one AMQP message per envelope, read the same way', async () => {
  const svc = await serviceDb('batch_off');
  const consumer = consumerName('batch-off');
  const transport = new AmqpTransport({
    url: AMQP_URL,
    logger,
    retryTiersMs: RETRY_TIERS,
    namespace: TEST_NAMESPACE,
    batchMessages: false,
  });
  await transport.start();
  const tap = await rawTap('order.cancelled.v1.*');
  const c = cancellationConsumer(svc.db, transport, consumer);
  const orders = [uuidv7(), uuidv7(), uuidv7()];
  try {
    await c.start();
    await transport.publish(orders.map((id) => cancelledEvent(id)));
    await eventually(async () => (c.counts.handled === 3 ? true : undefined), 10_000, 'every envelope');
    for (const id of orders) assert.equal(await effectsFor(svc.db, id), 1);
    assert.deepEqual(tap.seen, [
      { batch: undefined, count: 1 },
      { batch: undefined, count: 1 },
      { batch: undefined, count: 1 },
    ]);
  } finally {
    await c.stop();
    await tap.close();
    await transport.close();
    await deleteQueues(consumer);
    await svc.drop();
  }
});

test('a batch message never hands a consumer more envelopes at once than its prefetch', async () => {
  const svc = await serviceDb('batch_prefetch');
  const consumer = consumerName('batch-prefetch');
  const transport = await amqpTransport();
  let now = 0;
  let most = 0;
  const slow: Handler = async (event, q) => {
    now++;
    most = Math.max(most, now);
    await new Promise((resolve) => setTimeout(resolve, 20));
    now--;
    await recordEffect(event, q);
  };
  const c = cancellationConsumer(svc.db, transport, consumer, { handler: slow, prefetch: 3 });
  const orders = Array.from({ length: 12 }, () => uuidv7());
  try {
    await c.start();
    await transport.publish(orders.map((id) => cancelledEvent(id)));
    await eventually(async () => (c.counts.handled === 12 ? true : undefined), 15_000, 'every envelope');
    assert.ok(most <= 3, `at most 3 envelopes at once (the prefetch), saw ${most}`);
    for (const id of orders) assert.equal(await effectsFor(svc.db, id), 1);
  } finally {
    await c.stop();
    await transport.close();
    await deleteQueues(consumer);
    await svc.drop();
  }
});
