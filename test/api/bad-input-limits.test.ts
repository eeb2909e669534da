/**
 * Size limits, on a platform started with MODEL_MAX_BYTES=1000: bodies over a limit are refused
 * with a message that names the limit and what to send instead, and nothing changes.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { cubeStl, toAsciiStl, cubeMesh } from '../../src/platform/geometry/generate.js';
import { assertError, client, CUSTOMER, type Client } from './http.js';

interface Order {
  id: string;
  status: string;
  model?: { key: string; sizeBytes: number };
}

const LIMIT = 1000;
const DEMO = { authorization: 'Bearer demo-partner-key' };

describe('size limits (MODEL_MAX_BYTES=1000)', () => {
  let platform: EmbeddedPlatform;
  let api: Client;
  let initiated: Order;
  let uploaded: Order;

  const get = async (id: string): Promise<Order> => {
    const r = await api<Order>('GET', `/api/shop/orders/${id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const custom = async (): Promise<Order> => {
    const r = await api<Order>('POST', '/api/shop/orders', {
      json: { kind: 'custom', alloy: 'gold-585', customer: CUSTOMER },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };

  before(async () => {
    platform = await startEmbedded({ MODEL_MAX_BYTES: String(LIMIT) });
    api = client(platform.url);
    initiated = await custom();
    const o = await custom();
    const ok = await api('PUT', `/api/shop/orders/${o.id}/model`, {
      raw: cubeStl(10), // 684 bytes: under the limit
      headers: { 'content-type': 'model/stl' },
    });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    uploaded = await get(o.id);
  });

  after(async () => {
    await platform?.destroy();
  });

  const ascii = toAsciiStl(cubeMesh(10)); // a valid model, but ~3 kB of text
  assert.ok(ascii.length > LIMIT);

  test('a model upload over the limit: 413 naming the limit, and nothing already accepted changes', async () => {
    for (const target of [initiated, uploaded]) {
      const res = await api('PUT', `/api/shop/orders/${target.id}/model`, {
        raw: ascii,
        headers: { 'content-type': 'model/stl' },
      });
      assertError(
        res,
        413,
        'PAYLOAD_TOO_LARGE',
        `(${ascii.length} bytes)`,
        `at most ${LIMIT} bytes`,
        'binary STL',
      );
      assert.deepEqual(await get(target.id), target);
    }
  });

  test('a streamed upload (no Content-Length) over the limit', async () => {
    const chunks = [ascii.subarray(0, 800), ascii.subarray(800)];
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next) controller.enqueue(next);
        else controller.close();
      },
    });
    const res = await fetch(`${platform.url}/api/shop/orders/${uploaded.id}/model`, {
      method: 'PUT',
      headers: { 'content-type': 'model/stl' },
      body,
      duplex: 'half',
    } as RequestInit);
    const json = (await res.json()) as { code: string; message: string };
    assert.equal(res.status, 413, JSON.stringify(json));
    assert.equal(json.code, 'PAYLOAD_TOO_LARGE');
    assert.ok(json.message.includes(`at most ${LIMIT} bytes`), json.message);
    assert.deepEqual(await get(uploaded.id), uploaded);
  });

  test('a partner model over the limit', async () => {
    const before = await api<{ items: unknown[] }>('GET', '/api/partner/v1/orders', { headers: DEMO });
    const res = await api('POST', '/api/partner/v1/orders', {
      json: {
        alloy: 'gold-585',
        customer: CUSTOMER,
        model: { filename: 'ring.stl', contentBase64: ascii.toString('base64') },
      },
      headers: { ...DEMO, 'idempotency-key': 'too-big' },
    });
    assertError(res, 422, 'MODEL_TOO_LARGE', `${ascii.length} bytes`, `limit is ${LIMIT}`);
    const afterwards = await api<{ items: unknown[] }>('GET', '/api/partner/v1/orders', { headers: DEMO });
    assert.deepEqual(afterwards.body.items, before.body.items);
  });

  test('a partner request body over the limit of its route', async () => {
    const res = await api('POST', '/api/partner/v1/orders', {
      json: {
        alloy: 'gold-585',
        customer: CUSTOMER,
        model: { filename: 'ring.stl', contentBase64: Buffer.alloc(100_000).toString('base64') },
      },
      headers: { ...DEMO, 'idempotency-key': 'way-too-big' },
    });
    assertError(res, 413, 'PAYLOAD_TOO_LARGE', 'POST /api/partner/v1/orders', 'at most');
  });

  test('a JSON body over the server-wide limit', async () => {
    const res = await api('POST', '/api/shop/orders', {
      json: {
        kind: 'custom',
        alloy: 'gold-585',
        customer: { name: 'x'.repeat(1_100_000), email: 'a@example.com' },
      },
    });
    assertError(res, 413, 'PAYLOAD_TOO_LARGE', 'POST /api/shop/orders', `at most ${1024 * 1024} bytes`);
  });
});
