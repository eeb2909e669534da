/**
 * Embedded mode keeps its data in a folder that survives restarts: an order submitted just
 * before a shutdown is still there afterwards, and its committed events are still delivered.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually, startEmbedded } from '../support/embedded.js';

interface Order {
  id: string;
  status: string;
  history: { status: string }[];
}

async function json<T>(res: Promise<Response>): Promise<T> {
  const r = await res;
  const body = (await r.json()) as T;
  assert.ok(r.ok, `${r.status}: ${JSON.stringify(body)}`);
  return body;
}

test('an order survives a restart mid-flow and completes afterwards', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-restart-'));
  const post = (base: string, path: string, body: unknown) =>
    fetch(`${base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  try {
    // The relays are paused so the submission is committed in the outbox but not yet published.
    let platform = await startEmbedded({}, dir);
    for (const s of platform.services) s.relay.setPaused(true);
    const created = await json<Order>(
      post(platform.url, '/api/shop/orders', {
        kind: 'catalog',
        catalogSku: 'RING-TORUS-585',
        customer: { name: 'Ada', email: 'ada@example.com' },
      }),
    );
    await json(post(platform.url, `/api/shop/orders/${created.id}/submit`, {}));
    await platform.destroy(); // graceful stop; the data folder is kept

    platform = await startEmbedded({}, dir);
    try {
      const approved = await eventually(
        async () => {
          const o = await json<Order>(fetch(`${platform.url}/api/shop/orders/${created.id}`));
          return o.status === 'MANUFACTURING_APPROVED' ? o : undefined;
        },
        20_000,
        'the order to be priced and approved after the restart',
      );
      assert.deepEqual(
        approved.history.map((h) => h.status),
        ['INITIATED', 'SUBMITTED', 'PRICE_CALCULATED', 'MANUFACTURING_APPROVED'],
      );
      const claimed = await json<Order>(
        post(platform.url, `/api/mes/orders/${created.id}/claim`, { operator: 'olga' }),
      );
      assert.equal(claimed.status, 'MANUFACTURING_STARTED');
    } finally {
      await platform.destroy();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
