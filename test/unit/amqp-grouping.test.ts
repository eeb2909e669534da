/**
 * How a relay batch is cut into AMQP messages: one per routing key, in publish order, and never
 * so that one order's event overtakes an earlier one of the same order.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Envelope } from '../../src/contracts/envelope.js';
import { byRoutingKey } from '../../src/platform/messaging/amqp-transport.js';

let n = 0;
function event(type: string, orderId: string, channel = 'b2c'): Envelope {
  return {
    id: `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
    type,
    occurredAt: new Date(0).toISOString(),
    orderId,
    source: 'test',
    payload: { orderId, channel },
  };
}

const shape = (groups: Envelope[][]) => groups.map((g) => g.map((e) => `${e.type}:${e.orderId}`));

test('envelopes of one routing key share a message; channels are routing keys of their own', () => {
  const batch = [
    event('order.closed.v1', 'A'),
    event('order.approved.v1', 'B'),
    event('order.closed.v1', 'C'),
    event('order.closed.v1', 'D', 'b2b'),
  ];
  assert.deepEqual(shape(byRoutingKey(batch)), [
    ['order.closed.v1:A', 'order.closed.v1:C'],
    ['order.approved.v1:B'],
    ['order.closed.v1:D'],
  ]);
});

test("an order's later event never goes in a message before its earlier one", () => {
  const batch = [
    event('order.closed.v1', 'B'),
    event('order.approved.v1', 'A'),
    event('order.closed.v1', 'A'),
    event('order.closed.v1', 'C'),
  ];
  // A's closing may not join B's message, which leaves before A's approval: a new message.
  assert.deepEqual(shape(byRoutingKey(batch)), [
    ['order.closed.v1:B'],
    ['order.approved.v1:A'],
    ['order.closed.v1:A', 'order.closed.v1:C'],
  ]);
  // And every order's envelopes come out in the order they went in.
  const flat = byRoutingKey(batch).flat();
  for (const id of ['A', 'B', 'C'])
    assert.deepEqual(
      flat.filter((e) => e.orderId === id).map((e) => e.id),
      batch.filter((e) => e.orderId === id).map((e) => e.id),
    );
});

test('a message holds at most 64 envelopes', () => {
  const batch = Array.from({ length: 130 }, (_, i) => event('order.closed.v1', `O${i}`));
  assert.deepEqual(
    byRoutingKey(batch).map((g) => g.length),
    [64, 64, 2],
  );
});
