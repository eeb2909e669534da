/**
 * The workspace cache on the real Redis: hits after a first read, a change makes every stored
 * value old (even one written back after the change by a read that began before it), and a
 * Redis that is down never fails a read.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { WorkspaceCache } from '../../src/mes/workspace/cache.js';
import { createLogger } from '../../src/platform/logger.js';
import { deleteMesCacheKeysSince, mesCacheKeys, REDIS_URL, requireServer } from '../support/servers.js';

const logger = createLogger('silent');
let cache: WorkspaceCache;
let keysBefore: Set<string>;

before(async () => {
  await requireServer('Redis', REDIS_URL);
  keysBefore = await mesCacheKeys();
  cache = await WorkspaceCache.open(REDIS_URL, `test-${randomUUID()}`, logger);
});
after(async () => {
  await cache?.close();
  if (keysBefore) await deleteMesCacheKeysSince(keysBefore);
});

test('a second read is a hit; a change makes the next read load again', async () => {
  let loads = 0;
  const load = async () => ({ n: ++loads });
  assert.deepEqual(await cache.read('counts', load), { value: { n: 1 }, source: 'database' });
  // The write-back is not awaited by the first read: give it its round trip.
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(await cache.read('counts', load), { value: { n: 1 }, source: 'cache' });
  cache.invalidate();
  assert.deepEqual(await cache.read('counts', load), { value: { n: 2 }, source: 'database' });
});

test('a value read before a change is never served after it, even when stored late', async () => {
  let release!: () => void;
  const slow = cache.read('page', () => new Promise<string>((r) => (release = () => r('before the change'))));
  await new Promise((r) => setTimeout(r, 20));
  cache.invalidate(); // the change commits while the slow read is still in the database
  release();
  assert.equal((await slow).value, 'before the change');
  await new Promise((r) => setTimeout(r, 20)); // its late write-back lands
  const next = await cache.read('page', async () => 'after the change');
  assert.deepEqual(next, { value: 'after the change', source: 'database' });
});

test('with Redis unreachable every read comes from the database', async () => {
  const down = await WorkspaceCache.open('redis://127.0.0.1:1', 'down', logger);
  try {
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(await down.read('counts', async () => i), { value: i, source: 'database' });
    }
    down.invalidate();
  } finally {
    await down.close();
  }
});
