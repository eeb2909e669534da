/**
 * The partner API refuses bad keys, bad bodies and misused idempotency keys with named codes,
 * never creates an order for a refused request, and keeps partners' orders apart.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { cubeStl } from '../../src/platform/geometry/generate.js';
import { assertError, client, CUSTOMER, type Client } from './http.js';

interface Order {
  id: string;
  status: string;
  reference?: string;
  quantity: number;
  partnerId: string;
  history: { status: string }[];
}

const V1 = '/api/partner/v1';
const ADMIN = '/api/partner/admin/partners';
const DEMO = { authorization: 'Bearer demo-partner-key' };
const ADMIN_AUTH = { authorization: 'Bearer atelier-admin' };

const model = (bytes: Uint8Array, filename = 'ring.stl') => ({
  filename,
  contentBase64: Buffer.from(bytes).toString('base64'),
});

describe('partner API: bad input', () => {
  let platform: EmbeddedPlatform;
  let api: Client;
  /** The order created with Idempotency-Key "order-1", settled (approved, waiting for production). */
  let original: Order;
  const originalBody = {
    reference: 'PO-1001',
    alloy: 'silver-925',
    customer: CUSTOMER,
    model: model(cubeStl(10)),
  };

  const post = (body: unknown, headers: Record<string, string>) =>
    api<Order>('POST', `${V1}/orders`, { json: body, headers });
  const mine = async (auth = DEMO): Promise<Order[]> => {
    const r = await api<{ items: Order[] }>('GET', `${V1}/orders`, { headers: auth });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items;
  };
  const get = async (id: string): Promise<Order> => {
    const r = await api<Order>('GET', `${V1}/orders/${id}`, { headers: DEMO });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };

  before(async () => {
    platform = await startEmbedded();
    api = client(platform.url);
  });

  after(async () => {
    await platform?.destroy();
  });

  describe('authentication', () => {
    test('an unknown API key', async () => {
      const res = await post(originalBody, {
        authorization: 'Bearer not-a-key',
        'idempotency-key': 'k-auth',
      });
      assertError(res, 401, 'API_KEY_INVALID', 'Authorization: Bearer <your key>');
    });

    test('no API key at all', async () => {
      assertError(
        await post(originalBody, { 'idempotency-key': 'k-auth' }),
        401,
        'API_KEY_MISSING',
        'No API key was sent',
        'Authorization: Bearer <your key>',
      );
      assertError(await api('GET', `${V1}/orders`), 401, 'API_KEY_MISSING', 'Authorization');
    });

    test('the admin endpoint without, or with a wrong, token', async () => {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, DEMO]) {
        const res = await api('POST', ADMIN, { json: { name: 'Sneaky' }, headers });
        assertError(res, 401, 'UNAUTHORIZED', 'administrator', 'Authorization: Bearer');
      }
    });

    test('the admin endpoint with a bad body', async () => {
      const res = await api('POST', ADMIN, { json: { name: '' }, headers: ADMIN_AUTH });
      assertError(res, 400, 'VALIDATION_FAILED', 'body/name');
    });
  });

  describe('creating orders', () => {
    test('no Idempotency-Key', async () => {
      assertError(await post(originalBody, DEMO), 400, 'IDEMPOTENCY_KEY_REQUIRED', 'Idempotency-Key');
      const tooLong = { ...DEMO, 'idempotency-key': 'k'.repeat(201) };
      assertError(await post(originalBody, tooLong), 400, 'IDEMPOTENCY_KEY_REQUIRED', '1-200 characters');
    });

    test('the same key and body twice: one order, 201 then 200', async () => {
      const first = await post(originalBody, { ...DEMO, 'idempotency-key': 'order-1' });
      assert.equal(first.status, 201, JSON.stringify(first.body));
      const again = await post(originalBody, { ...DEMO, 'idempotency-key': 'order-1' });
      assert.equal(again.status, 200, JSON.stringify(again.body));
      assert.equal(again.body.id, first.body.id);
      // Field order does not make a different request.
      const reordered = {
        model: originalBody.model,
        customer: CUSTOMER,
        alloy: 'silver-925',
        reference: 'PO-1001',
      };
      const third = await post(reordered, { ...DEMO, 'idempotency-key': 'order-1' });
      assert.equal(third.status, 200, JSON.stringify(third.body));
      assert.equal(third.body.id, first.body.id);
      assert.deepEqual(
        (await mine()).filter((o) => o.reference === 'PO-1001').map((o) => o.id),
        [first.body.id],
      );
      original = await eventually(
        async () => {
          const o = await get(first.body.id);
          return o.status === 'MANUFACTURING_APPROVED' ? o : undefined;
        },
        15_000,
        'the partner order to be approved',
      );
    });

    test('the same key with another body', async () => {
      const res = await post({ ...originalBody, quantity: 3 }, { ...DEMO, 'idempotency-key': 'order-1' });
      assertError(res, 422, 'IDEMPOTENCY_KEY_REUSED', 'order-1', original.id, 'Use a new key');
      assert.deepEqual(await get(original.id), original);
    });

    const bad: Array<{ name: string; body: unknown; status: number; code: string; mentions: string[] }> = [
      {
        name: 'invalid base64',
        body: { ...originalBody, model: { filename: 'a.stl', contentBase64: '!!not*base64!!' } },
        status: 400,
        code: 'MODEL_ENCODING_INVALID',
        mentions: ['model.contentBase64', 'base64'],
      },
      {
        name: 'base64 of a PNG',
        body: {
          ...originalBody,
          model: model(Buffer.from('\x89PNG\r\n\x1a\n' + 'x'.repeat(200), 'latin1'), 'a.png'),
        },
        status: 422,
        code: 'MODEL_NOT_STL',
        mentions: ['PNG', 'Export the model'],
      },
      {
        name: 'base64 of plain text',
        body: { ...originalBody, model: model(Buffer.from('just some notes about a ring')) },
        status: 422,
        code: 'MODEL_NOT_STL',
        mentions: ["'just some notes", "'solid'"],
      },
      {
        name: 'base64 of a truncated STL',
        body: { ...originalBody, model: model(cubeStl(10).subarray(0, 300)) },
        status: 422,
        code: 'MODEL_TRUNCATED',
        mentions: ['12 triangles', 'only 300 bytes'],
      },
      {
        name: 'no model and no quote',
        body: { reference: 'x', alloy: 'gold-585', customer: CUSTOMER },
        status: 400,
        code: 'FIELD_REQUIRED',
        mentions: ['quoteId', 'model and alloy'],
      },
      {
        name: 'unknown alloy',
        body: { ...originalBody, alloy: 'brass' },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/alloy', '"gold-585"'],
      },
      {
        name: 'bad e-mail and quantity',
        body: { ...originalBody, quantity: 0, customer: { name: 'N', email: 'not-an-email' } },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/quantity', 'body/customer/email'],
      },
      {
        name: 'an extra property',
        body: { ...originalBody, rush: true },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ["'rush'"],
      },
    ];
    for (const c of bad) {
      test(`${c.name}: ${c.status} ${c.code}, and no order`, async () => {
        const before = (await mine()).length;
        assertError(
          await post(c.body, { ...DEMO, 'idempotency-key': `bad-${c.name}` }),
          c.status,
          c.code,
          ...c.mentions,
        );
        assert.equal((await mine()).length, before);
      });
    }

    test('malformed JSON', async () => {
      const res = await api('POST', `${V1}/orders`, {
        raw: '{"alloy":',
        headers: { ...DEMO, 'idempotency-key': 'bad-json', 'content-type': 'application/json' },
      });
      assertError(res, 400, 'MALFORMED_JSON', 'not valid JSON');
    });

    test('a refused request does not use up its Idempotency-Key', async () => {
      const key = { ...DEMO, 'idempotency-key': 'bad-base64 of a PNG' };
      const res = await post({ ...originalBody, reference: 'PO-1002' }, key);
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.reference, 'PO-1002');
    });
  });

  describe('another partner', () => {
    let other: { id: string; apiKey: string };
    before(async () => {
      const r = await api<{ id: string; apiKey: string }>('POST', ADMIN, {
        json: { name: 'Other Jeweller' },
        headers: ADMIN_AUTH,
      });
      assert.equal(r.status, 201, JSON.stringify(r.body));
      other = r.body;
    });

    test("cannot read the demo partner's order", async () => {
      const res = await api('GET', `${V1}/orders/${original.id}`, {
        headers: { authorization: `Bearer ${other.apiKey}` },
      });
      assertError(res, 404, 'ORDER_NOT_FOUND', original.id);
      assert.deepEqual(await mine({ authorization: `Bearer ${other.apiKey}` }), []);
    });

    test('has Idempotency-Keys of its own', async () => {
      const res = await post(originalBody, {
        authorization: `Bearer ${other.apiKey}`,
        'idempotency-key': 'order-1',
      });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.notEqual(res.body.id, original.id);
      assert.equal(res.body.partnerId, other.id);
    });
  });

  describe('reading', () => {
    test('a cursor this API never returned', async () => {
      assertError(
        await api('GET', `${V1}/orders?after=garbage`, { headers: DEMO }),
        400,
        'CURSOR_INVALID',
        '`after`',
      );
    });

    test('an id that is not a UUID', async () => {
      assertError(
        await api('GET', `${V1}/orders/PO-1001`, { headers: DEMO }),
        400,
        'VALIDATION_FAILED',
        'params/id',
      );
    });

    test('an unknown route', async () => {
      assertError(
        await api('GET', '/api/partner/v2/orders', { headers: DEMO }),
        404,
        'ROUTE_NOT_FOUND',
        '/api/partner/v2/orders',
      );
    });
  });

  test('after all of the above, the first order is intact and the demo partner has exactly its two orders', async () => {
    assert.deepEqual(await get(original.id), original);
    assert.deepEqual(
      original.history.map((h) => h.status),
      ['SUBMITTED', 'PRICE_CALCULATED', 'MANUFACTURING_APPROVED'],
    );
    assert.deepEqual((await mine()).map((o) => o.reference).sort(), ['PO-1001', 'PO-1002']);
  });
});
