/**
 * A batch of inbox messages on PostgreSQL: different orders are handled side by side (their
 * statements share round trips), one order's messages stay in delivery order, serial types run
 * alone, and a failure anywhere rolls the batch back and hands each message to its own
 * transaction.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import type { Envelope } from '../../src/contracts/envelope.js';
import { InboxConsumer, type Handler, type Outcome } from '../../src/platform/messaging/consumer.js';
import type { Delivery } from '../../src/platform/messaging/transport.js';
import { cancelledEvent, effectsFor, embeddedTransport, logger, serviceDb } from '../support/messaging.js';

const delivery = (body: unknown): Delivery => ({
  body,
  attempt: 0,
  redelivered: false,
  ack: async () => undefined,
  retry: async () => undefined,
});

describe('a batch of messages for many orders (PostgreSQL)', () => {
  let svc: Awaited<ReturnType<typeof serviceDb>>;
  let broker: Awaited<ReturnType<typeof embeddedTransport>>;
  before(async () => {
    svc = await serviceDb('batch_side');
    broker = await embeddedTransport();
  });
  after(async () => {
    await broker.drop();
    await svc.drop();
  });

  /**
   * A handler that records how many handlers of the watched messages were running at once, and
   * the order in which they finished.
   */
  function watching(watched: Set<string>, failOnce?: string) {
    const seen = { peak: 0, running: 0, finished: [] as string[], failed: false };
    const handler: Handler = async (event, q) => {
      const mine = watched.has(event.id);
      if (mine) seen.peak = Math.max(seen.peak, ++seen.running);
      try {
        // Long enough for every handler of a side-by-side batch to have started meanwhile.
        await q.query('SELECT pg_sleep(0.02)');
        if (event.orderId === failOnce && !seen.failed) {
          seen.failed = true;
          throw new Error('this order fails once');
        }
        await q.query('INSERT INTO test_effects (order_id, message_id) VALUES ($1, $2)', [
          event.orderId,
          event.id,
        ]);
        if (mine) seen.finished.push(event.id);
      } finally {
        if (mine) seen.running--;
      }
    };
    return { seen, handler };
  }

  /**
   * Two fillers take the two batch slots; the watched messages queue meanwhile and then go
   * together in one batch.
   */
  async function inOneBatch(consumer: InboxConsumer, events: Envelope[]): Promise<Outcome[]> {
    const fillers = [uuidv7(), uuidv7()].map((id) => consumer.onDelivery(delivery(cancelledEvent(id))));
    const outcomes = await Promise.all(events.map((e) => consumer.onDelivery(delivery(e))));
    await Promise.all(fillers);
    return outcomes;
  }

  const consumerWith = (name: string, handler: Handler, serial: boolean) =>
    new InboxConsumer({
      db: svc.db,
      transport: broker.transport,
      logger,
      consumer: name,
      handlers: { 'order.cancelled.v1': handler },
      retryDelaysMs: [50],
      ...(serial ? { serialTypes: ['order.cancelled.v1'] as const } : {}),
    });

  test('different orders run side by side; one order keeps its delivery order', async () => {
    const [a, b, c] = [uuidv7(), uuidv7(), uuidv7()];
    const events = [
      cancelledEvent(a, 'first'),
      cancelledEvent(b),
      cancelledEvent(a, 'second'),
      cancelledEvent(c),
    ];
    const { seen, handler } = watching(new Set(events.map((e) => e.id)));
    const outcomes = await inOneBatch(consumerWith(`side-${uuidv7()}`, handler, false), events);
    assert.deepEqual(outcomes, ['handled', 'handled', 'handled', 'handled']);
    // Three orders at once; order a's two messages one after the other, first one first.
    assert.equal(seen.peak, 3);
    const [firstOfA, secondOfA] = [events[0]!.id, events[2]!.id];
    assert.ok(seen.finished.indexOf(firstOfA) < seen.finished.indexOf(secondOfA));
    for (const id of [a, b, c]) assert.equal(await effectsFor(svc.db, id), id === a ? 2 : 1);
  });

  test('a serial type runs alone, never beside another message', async () => {
    const events = [uuidv7(), uuidv7(), uuidv7()].map((id) => cancelledEvent(id));
    const { seen, handler } = watching(new Set(events.map((e) => e.id)));
    const outcomes = await inOneBatch(consumerWith(`serial-${uuidv7()}`, handler, true), events);
    assert.deepEqual(outcomes, ['handled', 'handled', 'handled']);
    assert.equal(seen.peak, 1);
  });

  test('one failing order rolls the batch back; every message is then handled alone, once', async () => {
    const orders = [uuidv7(), uuidv7(), uuidv7()];
    const events = orders.map((id) => cancelledEvent(id));
    const { handler } = watching(new Set(events.map((e) => e.id)), orders[1]);
    const outcomes = await inOneBatch(consumerWith(`fail-${uuidv7()}`, handler, false), events);
    // The failing order's handling alone succeeds: it failed only once, inside the batch.
    assert.deepEqual(outcomes, ['handled', 'handled', 'handled']);
    for (const id of orders) assert.equal(await effectsFor(svc.db, id), 1);
  });
});
