/**
 * The pricing API refuses bad models and bad options with a named code and a message that says
 * what to fix, in bounded time and memory, and the service keeps working for the next person.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cubeMesh, toBinaryStl } from '../../src/platform/geometry/generate.js';
import { DEFAULT_PRICE_LIST } from '../../src/pricing/domain/price-list.js';
import { startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { assertError, client, type Client } from './http.js';

const P = '/api/pricing';
const OCTETS = { 'content-type': 'application/octet-stream' };
const ADMIN = { authorization: 'Bearer atelier-admin' };

function binaryStl(claimed: number, triangles: number): Buffer {
  const b = Buffer.alloc(84 + 50 * triangles);
  b.writeUInt32LE(claimed, 80);
  return b;
}

describe('pricing: bad input', () => {
  let platform: EmbeddedPlatform;
  let api: Client;
  let goodModelId: string;
  const LIMIT = 2 * 1024 * 1024;

  before(async () => {
    platform = await startEmbedded({ MODEL_MAX_BYTES: String(LIMIT) });
    api = client(platform.url);
    const r = await api<{ id: string }>('POST', `${P}/models?filename=cube.stl`, {
      raw: toBinaryStl(cubeMesh(10)),
      headers: OCTETS,
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    goodModelId = r.body.id;
  });
  after(async () => platform?.destroy());

  const upload = (raw: Uint8Array | string, query = 'filename=model.stl') =>
    api('POST', `${P}/models?${query}`, { raw, headers: OCTETS });

  test('model files that cannot be read', async () => {
    const nan = toBinaryStl(cubeMesh(10));
    nan.writeFloatLE(Number.NaN, 84 + 12 + 4);
    const cases: [Uint8Array | string, number, string, string[]][] = [
      ['', 400, 'MODEL_EMPTY', ['empty']],
      [Buffer.from('%PDF-1.7 not a model at all, just a document'), 422, 'MODEL_NOT_STL', ['PDF']],
      [Buffer.from('PK\x03\x04 zipped'), 422, 'MODEL_NOT_STL', ['ZIP']],
      [binaryStl(1000, 10).subarray(0, 84 + 50 * 10), 422, 'MODEL_TRUNCATED', ['1000']],
      [binaryStl(4_000_000_000, 2), 422, 'MODEL_TRUNCATED', ['4000000000']],
      [nan, 422, 'MODEL_BAD_NUMBER', ['NaN']],
      [
        Buffer.concat([Buffer.from('solid x\n'), Buffer.alloc(1000, 0xff)]),
        422,
        'MODEL_BAD_SYNTAX',
        ['line 2'],
      ],
      [`solid x\n${' '.repeat(1024 * 1024)}`, 422, 'MODEL_BAD_SYNTAX', ['endsolid']],
      [
        `solid x\n facet normal 0 0 1\n outer loop\n vertex 0 0 0\n vertex 1 0\n`,
        422,
        'MODEL_BAD_SYNTAX',
        [],
      ],
    ];
    for (const [raw, status, code, mentions] of cases) {
      const started = Date.now();
      assertError(await upload(raw), status, code, ...mentions);
      assert.ok(Date.now() - started < 5000, `${code} took ${Date.now() - started} ms`);
    }
  });

  test('OBJ files that cannot be read', async () => {
    assertError(
      await upload('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 7\n', 'filename=m.obj'),
      422,
      'MODEL_BAD_INDEX',
      'vertex 7',
    );
    assertError(await upload('v 0 0 0\nv 1 0 0\n# no faces\n', 'filename=m.obj'), 422, 'MODEL_NO_TRIANGLES');
  });

  test('a file over the size limit is refused before it is read', async () => {
    assertError(await upload(Buffer.alloc(LIMIT + 1)), 413, 'PAYLOAD_TOO_LARGE', String(LIMIT));
  });

  test('wrong units, wrong content type', async () => {
    assertError(
      await upload(toBinaryStl(cubeMesh(10)), 'units=furlong'),
      400,
      'UNITS_UNKNOWN',
      'furlong',
      'mm',
    );
    const json = await api('POST', `${P}/models`, { json: { model: 'ring' } });
    assertError(json, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  test('quotes with unknown models, alloys, stones or quantities', async () => {
    const quote = (json: unknown) => api('POST', `${P}/quotes`, { json });
    assertError(await quote({ modelId: crypto.randomUUID(), alloy: 'gold-585' }), 404, 'MODEL_NOT_FOUND');
    assertError(await quote({ modelId: goodModelId, alloy: 'tin' }), 422, 'ALLOY_UNKNOWN', 'tin', 'gold-585');
    assertError(
      await quote({
        modelId: goodModelId,
        alloy: 'gold-585',
        stones: [{ type: 'ruby', sizeMm: 2, count: 1 }],
      }),
      422,
      'STONE_UNKNOWN',
      'ruby',
    );
    assertError(
      await quote({
        modelId: goodModelId,
        alloy: 'gold-585',
        stones: [{ type: 'diamond', sizeMm: 9, count: 1 }],
      }),
      422,
      'STONE_UNKNOWN',
      '9 mm',
    );
    const q0 = await quote({ modelId: goodModelId, alloy: 'gold-585', quantity: 0 });
    assert.equal(q0.status, 400);
    assertError(await api('GET', `${P}/quotes/${crypto.randomUUID()}`), 404, 'QUOTE_NOT_FOUND');
  });

  test('price lists an administrator cannot publish', async () => {
    const publish = (json: unknown, headers: Record<string, string> = ADMIN) =>
      api('POST', `${P}/price-lists`, { json, headers });
    assertError(await publish({ priceList: DEFAULT_PRICE_LIST }, {}), 401, 'UNAUTHORIZED');
    const noGold = { ...DEFAULT_PRICE_LIST, alloys: DEFAULT_PRICE_LIST.alloys.slice(1) };
    assertError(await publish({ priceList: noGold }), 422, 'PRICE_LIST_INVALID', 'gold-585');
    const negative = { ...DEFAULT_PRICE_LIST, marginPercent: -5 };
    assert.equal((await publish({ priceList: negative })).status, 400);
    assertError(await api('GET', `${P}/price-lists/999`), 404, 'PRICE_LIST_NOT_FOUND', '999');
    const current = await api<{ version: number }>('GET', `${P}/price-list`);
    assert.equal(current.body.version, 1, 'nothing was published');
  });

  test('after all that, a good model is still measured', async () => {
    const r = await upload(toBinaryStl(cubeMesh(10)));
    assert.equal(r.status, 201);
    assert.equal((r.body as { analysis: { volumeMm3: number } }).analysis.volumeMm3, 1000);
  });
});
