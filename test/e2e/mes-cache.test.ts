/**
 * The MES with Redis: the counts and the default first page come from the cache once read, and
 * a change answered by the API is in the very next read (the cache forgets before it answers).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { client, type Client } from '../api/http.js';
import { eventually, startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { deleteMesCacheKeysSince, mesCacheKeys, REDIS_URL, requireServer } from '../support/servers.js';

let platform: EmbeddedPlatform;
let api: Client;
let keysBefore: Set<string>;

before(async () => {
  await requireServer('Redis', REDIS_URL);
  keysBefore = await mesCacheKeys();
  platform = await startEmbedded({ REDIS_URL, ASSIGN_INTERVAL_MS: '600000' });
  api = client(platform.url);
});
after(async () => {
  await platform?.destroy();
  if (keysBefore) await deleteMesCacheKeysSince(keysBefore);
});

interface Counts {
  counts: Record<string, number>;
  queue: number;
  source: string;
}

test('counts and the first page are served from Redis, and a change shows at once', async () => {
  const placed = await api<{ id: string }>('POST', '/api/shop/orders', {
    json: {
      kind: 'catalog',
      catalogSku: 'RING-TORUS-585',
      customer: { name: 'Cache Test', email: 'c@example.com' },
      submit: true,
    },
  });
  assert.equal(placed.status, 201);
  await eventually(
    async () => {
      const o = await api<{ status: string }>('GET', `/api/mes/orders/${placed.body.id}`);
      return o.body.status === 'MANUFACTURING_APPROVED' ? true : undefined;
    },
    15_000,
    'the order to be queued',
  );
  // Let the feed see the approval, so the reads below are not invalidated by it.
  await new Promise((r) => setTimeout(r, 500));
  const first = await api<Counts>('GET', '/api/mes/workspace/counts');
  const second = await api<Counts>('GET', '/api/mes/workspace/counts');
  assert.equal(first.body.source, 'database');
  assert.equal(second.body.source, 'cache');
  assert.deepEqual(second.body.counts, first.body.counts);
  assert.equal(second.body.queue, 1);
  const page1 = await api('GET', '/api/mes/workspace/orders');
  const page2 = await api('GET', '/api/mes/workspace/orders');
  assert.equal(page1.headers.get('x-cache'), 'miss');
  assert.equal(page2.headers.get('x-cache'), 'hit');
  assert.deepEqual(page2.body, page1.body);

  const claimed = await api('POST', `/api/mes/orders/${placed.body.id}/claim`, {
    json: { operator: 'olga' },
  });
  assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
  const afterClaim = await api<Counts>('GET', '/api/mes/workspace/counts');
  assert.equal(afterClaim.body.source, 'database');
  assert.equal(afterClaim.body.queue, 0);
  assert.equal(afterClaim.body.counts.MANUFACTURING_STARTED, 1);
  const pageAfter = await api<{ items: { id: string; status: string }[] }>(
    'GET',
    '/api/mes/workspace/orders',
  );
  assert.equal(pageAfter.headers.get('x-cache'), 'miss');
  assert.equal(pageAfter.body.items.find((o) => o.id === placed.body.id)?.status, 'MANUFACTURING_STARTED');
});
