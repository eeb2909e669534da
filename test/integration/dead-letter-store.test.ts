/**
 * The dead-letter store keeps what it is given: a broker message's envelopes all or none, and a
 * message holding a NUL (which PostgreSQL cannot store) readable rather than offered again forever.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { v7 as uuidv7 } from 'uuid';
import { openPglite } from '../../src/platform/db/pglite.js';
import type { Db } from '../../src/platform/db/types.js';
import { migrate } from '../../src/platform/db/migrate.js';
import { listDeadLetters, recordDeadLetters } from '../../src/platform/messaging/dead-letters.js';
import { PLATFORM_MIGRATIONS } from '../../src/platform/service.js';

let db: Db;

before(async () => {
  db = await openPglite();
  await migrate(db, [{ label: 'platform', dir: fileURLToPath(PLATFORM_MIGRATIONS) }]);
});
after(async () => {
  await db.close();
});

test('a batch is recorded envelope by envelope, with their ids, types and orders', async () => {
  const envelopes = [1, 2, 3].map((n) => ({
    id: uuidv7(),
    type: 'order.submitted.v1',
    orderId: uuidv7(),
    payload: { n },
  }));
  await recordDeadLetters(db, 'batch', envelopes, 'RabbitMQ dead-lettered it (delivery_limit)', 0);
  const stored = (await listDeadLetters(db)).filter((d) => d.consumer === 'batch');
  assert.deepEqual(stored.map((d) => d.messageId).sort(), envelopes.map((e) => e.id).sort());
  assert.deepEqual(stored.map((d) => d.orderId).sort(), envelopes.map((e) => e.orderId).sort());
  assert.ok(stored.every((d) => d.type === 'order.submitted.v1' && d.error.includes('delivery_limit')));
});

test('NUL characters are stored as U+FFFD; the text "\\u0000" is left as it is', async () => {
  const id = uuidv7();
  await recordDeadLetters(
    db,
    'nul',
    [
      { id, type: 'order.submitted.v1', payload: { name: 'a\0b', note: 'a\\u0000b', ['k\0']: 1 } },
      'not JSON \0',
    ],
    'handler failed on \0',
    3,
  );
  const stored = (await listDeadLetters(db)).filter((d) => d.consumer === 'nul');
  assert.equal(stored.length, 2);
  const json = stored.find((d) => d.messageId === id);
  assert.deepEqual((json?.envelope as { payload: unknown }).payload, {
    name: 'a\ufffdb',
    note: 'a\\u0000b',
    ['k\ufffd']: 1,
  });
  assert.ok(stored.some((d) => d.envelope === 'not JSON \ufffd'));
  assert.ok(stored.every((d) => d.error === 'handler failed on \ufffd'));
});
