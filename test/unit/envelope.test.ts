import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENTS, EVENT_TYPES, eventTypeFor, type EventType } from '../../src/contracts/events.js';
import { ORDER_STATUSES, type OrderStatus } from '../../src/contracts/order-status.js';
import {
  InvalidMessageError,
  checkEnvelope,
  checkPayload,
  newMessageId,
} from '../../src/platform/messaging/envelope.js';

const ORDER_ID = '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b';
const MESSAGE_ID = '0193a1b2-c3d4-7aaa-9bbb-0c1d2e3f4a5b';
const base = { orderId: ORDER_ID, orderNumber: 'A-20261121-000042', channel: 'b2c', actor: 'customer' };
const money = { amountMinor: 129900, currency: 'EUR' };

const VALID_PAYLOADS: Record<EventType, Record<string, unknown>> = {
  'order.initiated.v1': { ...base, kind: 'custom' },
  'order.file_uploaded.v1': { ...base, modelKey: 'models/x.stl', sizeBytes: 84 },
  'order.submitted.v1': {
    ...base,
    kind: 'catalog',
    customer: { name: 'Ada', email: 'ada@example.com' },
    alloy: 'gold-585',
    catalogSku: 'RING-TORUS-01',
    listPrice: money,
    quantity: 1,
  },
  'order.pricing_failed.v1': { ...base, actor: 'pricing', reason: 'worker crashed', attempts: 3 },
  'order.price_calculated.v1': {
    ...base,
    actor: 'pricing',
    breakdown: {
      method: 'mesh',
      alloy: 'gold-585',
      volumeMm3: 512.3,
      metalGrams: 6.9,
      metalMinor: 41200,
      labourMinor: 15000,
      total: { amountMinor: 56200, currency: 'EUR' },
    },
  },
  'order.manufacturing_approved.v1': { ...base, actor: 'rule', approval: 'auto', rule: 'catalog-piece' },
  'order.manufacturing_started.v1': { ...base, actor: 'operator:bo', operator: 'bo' },
  'order.manufacturing_completed.v1': { ...base, actor: 'operator:bo' },
  'order.packaging.v1': { ...base, actor: 'operator:bo' },
  'order.shipped.v1': { ...base, actor: 'operator:bo', trackingNumber: 'TRK123' },
  'order.closed.v1': { ...base, actor: 'carrier', how: 'carrier' },
  'order.cancelled.v1': { ...base, reason: 'changed my mind' },
  'order.rejected.v1': { ...base, channel: 'b2b', actor: 'seller:eve', reason: 'cannot cast this' },
};

function envelope(
  type: string,
  payload: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    id: MESSAGE_ID,
    type,
    occurredAt: '2026-11-21T10:00:00.000Z',
    orderId: ORDER_ID,
    source: 'shop',
    payload,
    ...extra,
  };
}

function assertInvalid(value: unknown, ...mentions: (string | RegExp)[]): void {
  assert.throws(
    () => checkEnvelope(value),
    (err: unknown) => {
      assert.ok(err instanceof InvalidMessageError, 'InvalidMessageError');
      const e = err as Error & { code: string; statusCode: number };
      assert.equal(e.code, 'MESSAGE_INVALID');
      assert.equal(e.statusCode, 422);
      for (const m of mentions) {
        if (typeof m === 'string')
          assert.ok(e.message.includes(m), `${JSON.stringify(m)} not in: ${e.message}`);
        else assert.match(e.message, m);
      }
      return true;
    },
  );
}

test('there are thirteen event types, one per status', () => {
  assert.equal(EVENT_TYPES.length, 13);
  assert.deepEqual(Object.keys(VALID_PAYLOADS).sort(), [...EVENT_TYPES].sort());
});

test('a valid envelope of every event type passes and is returned as is', () => {
  for (const type of EVENT_TYPES) {
    const env = envelope(type, VALID_PAYLOADS[type]);
    assert.deepEqual(checkEnvelope(env), env, type);
  }
});

test('a valid traceparent passes', () => {
  const env = envelope('order.initiated.v1', VALID_PAYLOADS['order.initiated.v1'], {
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
  });
  assert.doesNotThrow(() => checkEnvelope(env));
});

test('missing id', () => {
  const env = envelope('order.initiated.v1', VALID_PAYLOADS['order.initiated.v1']);
  delete env.id;
  assertInvalid(env, "must have required property 'id'");
});

test('id that is not a UUID', () => {
  assertInvalid(
    envelope('order.initiated.v1', VALID_PAYLOADS['order.initiated.v1'], { id: 'msg-1' }),
    'envelope/id',
    'uuid',
  );
});

test('orderId that is not a UUID', () => {
  assertInvalid(
    envelope('order.initiated.v1', VALID_PAYLOADS['order.initiated.v1'], { orderId: '42' }),
    'envelope/orderId',
  );
});

test('type not in the dotted, versioned format', () => {
  for (const bad of [
    'OrderSubmitted',
    'order.submitted',
    'order.Submitted.v1',
    'order.submitted.1',
    'submitted.v1',
  ]) {
    assertInvalid(envelope(bad, VALID_PAYLOADS['order.submitted.v1']), 'envelope/type', 'pattern');
  }
});

test('well-formed but unknown type', () => {
  assertInvalid(envelope('order.exploded.v1', {}), 'unknown event type order.exploded.v1');
  assertInvalid(envelope('order.submitted.v2', VALID_PAYLOADS['order.submitted.v1']), 'order.submitted.v2');
});

test('missing payload field', () => {
  const payload = { ...VALID_PAYLOADS['order.submitted.v1'] };
  delete payload.quantity;
  assertInvalid(
    envelope('order.submitted.v1', payload),
    'order.submitted.v1',
    "required property 'quantity'",
  );
});

test('missing payload altogether', () => {
  const env = envelope('order.initiated.v1', undefined);
  delete env.payload;
  assertInvalid(env, "required property 'payload'");
});

test('payload field of the wrong type', () => {
  assertInvalid(
    envelope('order.submitted.v1', { ...VALID_PAYLOADS['order.submitted.v1'], quantity: 'one' }),
    'payload/quantity',
    'integer',
  );
  assertInvalid(
    envelope('order.shipped.v1', { ...VALID_PAYLOADS['order.shipped.v1'], trackingNumber: 42 }),
    'payload/trackingNumber',
    'string',
  );
  assertInvalid(
    envelope('order.closed.v1', { ...VALID_PAYLOADS['order.closed.v1'], how: 'drone' }),
    'payload/how',
  );
  assertInvalid(
    envelope('order.initiated.v1', { ...VALID_PAYLOADS['order.initiated.v1'], channel: 'b2x' }),
    'payload/channel',
  );
});

test('payload out of range', () => {
  assertInvalid(
    envelope('order.submitted.v1', { ...VALID_PAYLOADS['order.submitted.v1'], quantity: 0 }),
    'payload/quantity',
  );
  assertInvalid(
    envelope('order.submitted.v1', {
      ...VALID_PAYLOADS['order.submitted.v1'],
      listPrice: { amountMinor: 100, currency: 'eur' },
    }),
    'payload/listPrice/currency',
  );
});

test('bad traceparent', () => {
  for (const bad of ['00-abc-def-01', '00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01', '']) {
    assertInvalid(
      envelope('order.initiated.v1', VALID_PAYLOADS['order.initiated.v1'], { traceparent: bad }),
      'envelope/traceparent',
    );
  }
});

test('unexpected envelope property and non-object envelopes', () => {
  assertInvalid(
    envelope('order.initiated.v1', VALID_PAYLOADS['order.initiated.v1'], { extra: 1 }),
    'additional properties',
  );
  assertInvalid(null, 'envelope');
  assertInvalid('order.initiated.v1', 'envelope');
});

test('checkPayload on its own names the type and the field', () => {
  assert.doesNotThrow(() => checkPayload('order.packaging.v1', VALID_PAYLOADS['order.packaging.v1']));
  assert.throws(
    () =>
      checkPayload('order.file_uploaded.v1', { ...VALID_PAYLOADS['order.file_uploaded.v1'], sizeBytes: 0 }),
    (err: Error) =>
      err instanceof InvalidMessageError && /order\.file_uploaded\.v1.*payload\/sizeBytes/.test(err.message),
  );
});

test('newMessageId returns UUIDv7 whose timestamp is now', () => {
  const before = Date.now();
  const id = newMessageId();
  const after = Date.now();
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(id[14], '7', 'version nibble');
  const ms = parseInt(id.replace(/-/g, '').slice(0, 12), 16);
  assert.ok(ms >= before && ms <= after, `timestamp ${ms} not in [${before}, ${after}]`);
});

test('newMessageId is unique and increasing in generation order', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 2000; i++) ids.push(newMessageId());
  await sleep(5);
  ids.push(newMessageId());
  assert.equal(new Set(ids).size, ids.length);
  for (let i = 1; i < ids.length; i++) {
    assert.ok((ids[i - 1] as string) < (ids[i] as string), `${ids[i - 1]} !< ${ids[i]}`);
  }
});

test('eventTypeFor maps every status to its event type', () => {
  const expected: Record<OrderStatus, EventType> = {
    INITIATED: 'order.initiated.v1',
    FILE_UPLOADED: 'order.file_uploaded.v1',
    SUBMITTED: 'order.submitted.v1',
    PRICE_CALCULATED: 'order.price_calculated.v1',
    MANUFACTURING_APPROVED: 'order.manufacturing_approved.v1',
    MANUFACTURING_STARTED: 'order.manufacturing_started.v1',
    MANUFACTURING_COMPLETED: 'order.manufacturing_completed.v1',
    PACKAGING: 'order.packaging.v1',
    SHIPPED: 'order.shipped.v1',
    CLOSED: 'order.closed.v1',
    CANCELLED: 'order.cancelled.v1',
    REJECTED: 'order.rejected.v1',
    PRICING_FAILED: 'order.pricing_failed.v1',
  };
  for (const status of ORDER_STATUSES) {
    assert.equal(eventTypeFor(status), expected[status], status);
    assert.equal(EVENTS[expected[status]].status, status, `${expected[status]} announces ${status}`);
  }
});
