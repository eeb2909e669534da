/**
 * The shop rejects bad input with a named error code and a message that says what to fix, and
 * nothing it already accepted changes: orders keep their status, history and model.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { cubeStl, toAsciiStl, cubeMesh } from '../../src/platform/geometry/generate.js';
import { assertError, client, CUSTOMER, type Client } from './http.js';

interface Order {
  id: string;
  status: string;
  kind: string;
  model?: { key: string; sizeBytes: number };
  history: { status: string }[];
}

const SHOP = '/api/shop';
const STL_TYPES = ['model/stl', 'application/octet-stream'];

/** Requests that must be refused: rejected creates all use this e-mail, so none may exist. */
const NOBODY = { name: 'Nobody', email: 'rejected-creates@example.com' };

describe('shop: bad input', () => {
  let platform: EmbeddedPlatform;
  let api: Client;
  /** A catalog order, submitted and settled (auto-approved, waiting for production). */
  let settled: Order;
  /** A custom order with no model yet. */
  let initiated: Order;
  /** A custom order with a good model. */
  let uploaded: Order;

  const create = async (body: unknown): Promise<Order> => {
    const r = await api<Order>('POST', `${SHOP}/orders`, { json: body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const get = async (id: string): Promise<Order> => {
    const r = await api<Order>('GET', `${SHOP}/orders/${id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const upload = (id: string, raw: string | Uint8Array | undefined, contentType?: string) =>
    api('PUT', `${SHOP}/orders/${id}/model`, {
      ...(raw === undefined ? {} : { raw }),
      headers: contentType ? { 'content-type': contentType } : {},
    });

  before(async () => {
    platform = await startEmbedded();
    api = client(platform.url);
    const cat = await create({ kind: 'catalog', catalogSku: 'RING-SIGNET-925', customer: CUSTOMER });
    assert.equal((await api('POST', `${SHOP}/orders/${cat.id}/submit`)).status, 200);
    initiated = await create({ kind: 'custom', alloy: 'gold-750', customer: CUSTOMER });
    const up = await create({ kind: 'custom', alloy: 'silver-925', quantity: 2, customer: CUSTOMER });
    const ok = await upload(up.id, cubeStl(10), 'model/stl');
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    uploaded = await get(up.id);
    assert.equal(uploaded.status, 'FILE_UPLOADED');
    // The catalog order moves on by itself until it waits for an operator; snapshot it there.
    settled = await eventually(
      async () => {
        const o = await get(cat.id);
        return o.status === 'MANUFACTURING_APPROVED' ? o : undefined;
      },
      15_000,
      'the catalog order to be approved',
    );
  });

  after(async () => {
    await platform?.destroy();
  });

  describe('POST /orders with a bad body', () => {
    const valid = { kind: 'catalog', catalogSku: 'RING-TORUS-585', customer: NOBODY };
    const cases: Array<{
      name: string;
      raw?: string;
      json?: unknown;
      ct?: string;
      status: number;
      code: string;
      mentions: string[];
    }> = [
      {
        name: 'malformed JSON',
        raw: '{"kind":',
        status: 400,
        code: 'MALFORMED_JSON',
        mentions: ['not valid JSON', 'application/json'],
      },
      {
        name: 'empty JSON body',
        raw: '',
        status: 400,
        code: 'MALFORMED_JSON',
        mentions: ['application/json'],
      },
      {
        name: 'missing customer',
        json: { kind: 'catalog', catalogSku: 'RING-TORUS-585' },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ["'customer'"],
      },
      {
        name: 'customer without e-mail',
        json: { ...valid, customer: { name: 'N' } },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['customer', "'email'"],
      },
      {
        name: 'quantity "two"',
        json: { ...valid, quantity: 'two' },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/quantity', 'integer'],
      },
      {
        name: 'quantity 0',
        json: { ...valid, quantity: 0 },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/quantity', '>= 1'],
      },
      {
        name: 'quantity 101',
        json: { ...valid, quantity: 101 },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/quantity', '<= 100'],
      },
      {
        name: 'quantity 1.5',
        json: { ...valid, quantity: 1.5 },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/quantity'],
      },
      {
        name: 'e-mail "not-an-email"',
        json: { ...valid, customer: { name: 'N', email: 'not-an-email' } },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/customer/email', 'email'],
      },
      {
        name: 'empty name',
        json: { ...valid, customer: { name: '', email: 'n@example.com' } },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/customer/name'],
      },
      {
        name: 'unknown alloy',
        json: { kind: 'custom', alloy: 'unobtainium', customer: NOBODY },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/alloy', '"gold-585"', '"platinum-950"'],
      },
      {
        name: 'unknown kind',
        json: { ...valid, kind: 'bespoke' },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body/kind', '"catalog"', '"custom"'],
      },
      {
        name: 'extra property',
        json: { ...valid, coupon: 'FREE' },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ["'coupon'"],
      },
      {
        name: 'extra property in customer',
        json: { ...valid, customer: { ...NOBODY, phone: '123' } },
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ["'phone'"],
      },
      {
        name: 'an array',
        json: [valid],
        status: 400,
        code: 'VALIDATION_FAILED',
        mentions: ['body must be object'],
      },
      {
        name: 'catalog order without SKU',
        json: { kind: 'catalog', customer: NOBODY },
        status: 400,
        code: 'FIELD_REQUIRED',
        mentions: ['catalogSku', '/api/shop/catalog'],
      },
      {
        name: 'custom order without alloy',
        json: { kind: 'custom', customer: NOBODY },
        status: 400,
        code: 'FIELD_REQUIRED',
        mentions: ['alloy', 'gold-585'],
      },
      {
        name: 'unknown catalog SKU',
        json: { ...valid, catalogSku: 'RING-DOES-NOT-EXIST' },
        status: 422,
        code: 'CATALOG_ITEM_NOT_FOUND',
        mentions: ['RING-DOES-NOT-EXIST', 'GET /api/shop/catalog'],
      },
      {
        // PostgreSQL stores no NUL in text: refused up front, naming the field, not a 500.
        name: 'a NUL character in the name',
        json: { ...valid, customer: { ...NOBODY, name: 'No\u0000body' } },
        status: 400,
        code: 'NUL_CHARACTER',
        mentions: ['body.customer.name', '\\u0000'],
      },
      {
        name: 'HTML instead of JSON',
        raw: '<form>',
        ct: 'text/html',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        mentions: ['text/html', 'POST /api/shop/orders', 'application/json'],
      },
    ];
    for (const c of cases) {
      test(c.name, async () => {
        const res = await api('POST', `${SHOP}/orders`, {
          ...(c.json !== undefined ? { json: c.json } : { raw: c.raw as string }),
          headers: { 'content-type': c.ct ?? 'application/json' },
        });
        assertError(res, c.status, c.code, ...c.mentions);
      });
    }

    test('a NUL character in a query string', async () => {
      const res = await api('GET', `${SHOP}/orders?email=rejected%00@example.com`);
      assertError(res, 400, 'NUL_CHARACTER', 'querystring.email');
    });

    test('none of them created an order', async () => {
      const r = await api<{ items: unknown[] }>(
        'GET',
        `${SHOP}/orders?email=${encodeURIComponent(NOBODY.email)}`,
      );
      assert.equal(r.status, 200);
      assert.deepEqual(r.body.items, []);
    });
  });

  describe('illegal transitions', () => {
    test('submitting an order twice', async () => {
      const res = await api('POST', `${SHOP}/orders/${settled.id}/submit`);
      assertError(res, 409, 'ORDER_ILLEGAL_TRANSITION', settled.id, 'MANUFACTURING_APPROVED', 'SUBMITTED');
    });

    test('submitting twice in a row, before anything else happened', async () => {
      const o = await create({ kind: 'catalog', catalogSku: 'EARRING-STUD-925', customer: CUSTOMER });
      assert.equal((await api('POST', `${SHOP}/orders/${o.id}/submit`)).status, 200);
      const res = await api('POST', `${SHOP}/orders/${o.id}/submit`);
      assertError(res, 409, 'ORDER_ILLEGAL_TRANSITION', o.id, 'cannot move to SUBMITTED');
    });

    test('cancelling an order approved for manufacturing (only the CRM may)', async () => {
      const res = await api('POST', `${SHOP}/orders/${settled.id}/cancel`, {
        json: { reason: 'changed my mind' },
      });
      assertError(res, 409, 'ORDER_ILLEGAL_TRANSITION', 'MANUFACTURING_APPROVED', 'cannot move to CANCELLED');
    });

    test('cancelling, submitting or uploading to a cancelled order', async () => {
      const o = await create({ kind: 'custom', alloy: 'gold-585', customer: CUSTOMER });
      assert.equal(
        (await api('POST', `${SHOP}/orders/${o.id}/cancel`, { json: { reason: 'test' } })).status,
        200,
      );
      const before = await get(o.id);
      assertError(
        await api('POST', `${SHOP}/orders/${o.id}/cancel`, { json: { reason: 'again' } }),
        409,
        'ORDER_ILLEGAL_TRANSITION',
        'CANCELLED is final',
      );
      assertError(
        await api('POST', `${SHOP}/orders/${o.id}/submit`),
        409,
        'ORDER_ILLEGAL_TRANSITION',
        'CANCELLED is final',
      );
      assertError(
        await upload(o.id, cubeStl(10), 'model/stl'),
        409,
        'ORDER_ILLEGAL_TRANSITION',
        'CANCELLED is final',
      );
      assert.deepEqual(await get(o.id), before);
    });

    test('submitting a custom order that has no model', async () => {
      const res = await api('POST', `${SHOP}/orders/${initiated.id}/submit`);
      assertError(
        res,
        409,
        'ORDER_MODEL_MISSING',
        initiated.id,
        `PUT the STL to /api/shop/orders/<id>/model`,
      );
    });

    test('uploading a model to a catalog order', async () => {
      const res = await upload(settled.id, cubeStl(10), 'model/stl');
      assertError(res, 409, 'ORDER_KIND_MISMATCH', settled.id, 'catalog order', 'no upload is needed');
    });

    test('replacing the model of a submitted custom order', async () => {
      const o = await create({ kind: 'custom', alloy: 'silver-925', customer: CUSTOMER });
      assert.equal((await upload(o.id, cubeStl(8), 'model/stl')).status, 200);
      const submitted = await api<Order>('POST', `${SHOP}/orders/${o.id}/submit`);
      assert.equal(submitted.status, 200);
      const res = await upload(o.id, cubeStl(12), 'model/stl');
      assertError(res, 409, 'ORDER_ILLEGAL_TRANSITION', o.id, 'cannot move to FILE_UPLOADED');
      assert.deepEqual((await get(o.id)).model, submitted.body.model);
    });

    test('cancel without a reason', async () => {
      const res = await api('POST', `${SHOP}/orders/${initiated.id}/cancel`, { json: {} });
      assertError(res, 400, 'VALIDATION_FAILED', "'reason'");
    });
  });

  describe('PUT /orders/:id/model with a bad file', () => {
    const cube = cubeStl(10);
    const withNaN = Buffer.from(cube);
    withNaN.writeFloatLE(Number.NaN, 84 + 12 + 4); // triangle 0, vertex 0, y
    const hugeHeader = Buffer.alloc(184);
    hugeHeader.write('binary STL', 0, 'latin1');
    hugeHeader.writeUInt32LE(4_000_000_000, 80);
    const ascii = toAsciiStl(cubeMesh(10)).toString('latin1');
    const asciiNaN = ascii.replace(/vertex (\S+) /, 'vertex NaN ');
    const zip = Buffer.concat([Buffer.from('PK\x03\x04\x14\x00\x00\x00', 'latin1'), Buffer.alloc(300, 7)]);
    const png = Buffer.concat([
      Buffer.from('\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR', 'latin1'),
      Buffer.alloc(300, 1),
    ]);

    const cases: Array<{
      name: string;
      raw?: string | Uint8Array;
      ct?: string;
      status: number;
      code: string;
      mentions: string[];
    }> = [
      {
        name: 'empty body',
        raw: new Uint8Array(0),
        ct: 'model/stl',
        status: 400,
        code: 'MODEL_EMPTY',
        mentions: ['empty', 'STL'],
      },
      { name: 'no body at all', status: 400, code: 'MODEL_EMPTY', mentions: ['empty'] },
      {
        name: 'binary STL cut in half',
        raw: cube.subarray(0, cube.length / 2),
        ct: 'model/stl',
        status: 422,
        code: 'MODEL_TRUNCATED',
        mentions: ['12 triangles', `only ${cube.length / 2} bytes`, 'Upload it again'],
      },
      {
        name: 'ZIP archive',
        raw: zip,
        ct: 'model/stl',
        status: 422,
        code: 'MODEL_NOT_STL',
        mentions: ["'PK", 'ZIP', 'Export the model'],
      },
      {
        name: 'PNG image',
        raw: png,
        ct: 'application/octet-stream',
        status: 422,
        code: 'MODEL_NOT_STL',
        mentions: ['PNG', 'Export the model'],
      },
      {
        name: 'plain text',
        raw: 'These are my ring measurements: 18 mm inner diameter.',
        ct: 'model/stl',
        status: 422,
        code: 'MODEL_NOT_STL',
        mentions: ["'These are my ring meas", "starts with 'solid'"],
      },
      {
        name: 'ASCII STL with NaN',
        raw: asciiNaN,
        ct: 'model/stl',
        status: 422,
        code: 'MODEL_BAD_NUMBER',
        mentions: ["'NaN'", 'line 4', 'finite number'],
      },
      {
        name: 'binary STL with NaN',
        raw: withNaN,
        ct: 'model/stl',
        status: 422,
        code: 'MODEL_BAD_NUMBER',
        mentions: ['NaN', 'triangle 0'],
      },
      {
        name: 'ASCII STL cut off',
        raw: ascii.slice(0, 500),
        ct: 'model/stl',
        status: 422,
        code: 'MODEL_BAD_SYNTAX',
        mentions: ['cut off'],
      },
      {
        name: 'binary header claiming 4 billion triangles',
        raw: hugeHeader,
        ct: 'model/stl',
        status: 422,
        code: 'MODEL_TRUNCATED',
        mentions: ['4000000000 triangles', 'only 184 bytes'],
      },
      {
        name: 'Content-Type text/html',
        raw: cube,
        ct: 'text/html',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        mentions: ['text/html', 'model/stl', 'application/octet-stream'],
      },
      {
        name: 'no Content-Type',
        raw: cube,
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        mentions: ['without a Content-Type', 'model/stl'],
      },
      {
        name: 'Content-Type application/json',
        raw: '{"model":"cube"}',
        ct: 'application/json',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        mentions: ['application/json', 'raw STL file bytes', 'model/stl'],
      },
      {
        name: 'Content-Type text/plain (an ASCII STL)',
        raw: ascii,
        ct: 'text/plain',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        mentions: ['text/plain', 'model/stl'],
      },
      {
        // Read as text by the server, with the zero bytes every binary STL holds: still a 415
        // about the content type, not a refusal of the NUL characters in it.
        name: 'Content-Type text/plain (a binary STL)',
        raw: cube,
        ct: 'text/plain',
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        mentions: ['text/plain', 'model/stl'],
      },
    ];

    for (const c of cases) {
      test(`${c.name}: ${c.status} ${c.code}, and nothing already accepted changes`, async () => {
        for (const target of [initiated, uploaded]) {
          const started = Date.now();
          assertError(await upload(target.id, c.raw, c.ct), c.status, c.code, ...c.mentions);
          assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
          // Still INITIATED without a model, or still FILE_UPLOADED with the earlier good model.
          assert.deepEqual(await get(target.id), target);
        }
      });
    }

    test('an unknown order', async () => {
      const id = '01900000-0000-7000-8000-000000000000';
      assertError(await upload(id, cube, 'model/stl'), 404, 'ORDER_NOT_FOUND', id);
    });

    test('an id that is not a UUID', async () => {
      assertError(await upload('42', cube, 'model/stl'), 400, 'VALIDATION_FAILED', 'params/id', 'uuid');
    });

    test('the OpenAPI document says which content types the upload takes', async () => {
      const r = await api<{ paths: Record<string, { put?: { description?: string } }> }>(
        'GET',
        `${SHOP}/openapi.json`,
      );
      const description = r.body.paths['/api/shop/orders/{id}/model']?.put?.description ?? '';
      for (const t of STL_TYPES) assert.ok(description.includes(t), description);
    });
  });

  describe('reading', () => {
    test('an unknown order', async () => {
      const id = '01900000-0000-7000-8000-000000000001';
      assertError(await api('GET', `${SHOP}/orders/${id}`), 404, 'ORDER_NOT_FOUND', id);
    });

    test('a cursor this API never returned', async () => {
      assertError(
        await api('GET', `${SHOP}/orders?after=garbage`),
        400,
        'CURSOR_INVALID',
        '`after`',
        'without it',
      );
    });

    test('an unknown status filter', async () => {
      assertError(
        await api('GET', `${SHOP}/orders?status=LOST`),
        400,
        'VALIDATION_FAILED',
        'querystring/status',
        '"INITIATED"',
      );
    });

    test('a limit out of range', async () => {
      assertError(await api('GET', `${SHOP}/orders?limit=0`), 400, 'VALIDATION_FAILED', 'querystring/limit');
      assertError(
        await api('GET', `${SHOP}/orders?limit=5000`),
        400,
        'VALIDATION_FAILED',
        'querystring/limit',
      );
    });

    test('an unknown route', async () => {
      assertError(
        await api('GET', `${SHOP}/basket`),
        404,
        'ROUTE_NOT_FOUND',
        'GET /api/shop/basket',
        'openapi.json',
      );
      assertError(await api('DELETE', `${SHOP}/orders/${settled.id}`), 404, 'ROUTE_NOT_FOUND', 'DELETE');
    });
  });

  test('after all of the above, the accepted orders are intact', async () => {
    assert.deepEqual(await get(settled.id), settled);
    assert.deepEqual(await get(initiated.id), initiated);
    assert.deepEqual(await get(uploaded.id), uploaded);
    assert.deepEqual(
      settled.history.map((h) => h.status),
      ['INITIATED', 'SUBMITTED', 'PRICE_CALCULATED', 'MANUFACTURING_APPROVED'],
    );
    assert.equal(initiated.status, 'INITIATED');
    assert.equal(initiated.model, undefined);
    assert.equal(uploaded.status, 'FILE_UPLOADED');
    assert.equal(uploaded.model?.sizeBytes, cubeStl(10).length);
  });
});
