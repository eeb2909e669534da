/**
 * The pricing service end to end in embedded mode: a model measured on the worker pool with its
 * progress, quotes from the versioned price list, orders from quotes at the quoted price, and a
 * pricing failure that parks the order in front of staff until an administrator retries it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeMesh } from '../../src/platform/geometry/mesh.js';
import { torusMesh, toAsciiStl, toBinaryStl } from '../../src/platform/geometry/generate.js';
import { DEFAULT_PRICE_LIST } from '../../src/pricing/domain/price-list.js';
import { priceOrder } from '../../src/pricing/price-order.js';
import { eventually, startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { assertError, client, CUSTOMER, type Client } from '../api/http.js';

const P = '/api/pricing';
const ADMIN = { authorization: 'Bearer atelier-admin' };
const OCTETS = { 'content-type': 'application/octet-stream' };

interface ModelInfo {
  id: string;
  format: string;
  analysis: { triangleCount: number; volumeMm3: number; areaMm2: number; dimensionsMm: number[] };
  validation: { watertight: boolean; issues: { code: string }[] };
}
interface Quote {
  id: string;
  priceListVersion: number;
  total: { amountMinor: number; currency: string };
  breakdown: { metalGrams: number; stonesMinor: number; labourMinor: number; quoteId?: string };
  orderId: string | null;
}
interface Order {
  id: string;
  status: string;
  price?: { amountMinor: number };
  breakdown?: { quoteId?: string; priceListVersion?: number };
  rejectionReason?: string | null;
  history: { status: string; source: string }[];
}

describe('pricing service, embedded', () => {
  let platform: EmbeddedPlatform;
  let api: Client;
  const ring = torusMesh(9, 1.2, 64, 24);
  const expected = analyzeMesh(ring);

  before(async () => {
    platform = await startEmbedded({ PRICING_TASK_TIMEOUT_MS: '2000', PRICING_TASK_ATTEMPTS: '2' });
    api = client(platform.url);
  });
  after(async () => platform?.destroy());

  const upload = async (bytes: Uint8Array, query = 'filename=ring.stl') => {
    const r = await api<ModelInfo>('POST', `${P}/models?${query}`, { raw: bytes, headers: OCTETS });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const order = async (id: string) => (await api<Order>('GET', `/api/shop/orders/${id}`)).body;

  test('a binary, an ASCII and a scaled upload measure the same ring', async () => {
    const bin = await upload(toBinaryStl(ring));
    assert.equal(bin.format, 'binary');
    assert.equal(bin.analysis.triangleCount, ring.triangleCount);
    assert.ok(Math.abs(bin.analysis.volumeMm3 - expected.volumeMm3) / expected.volumeMm3 < 1e-9);
    assert.ok(Math.abs(bin.analysis.areaMm2 - expected.areaMm2) / expected.areaMm2 < 1e-9);
    assert.equal(bin.validation.watertight, true);
    assert.deepEqual(bin.validation.issues, []);
    const ascii = await upload(toAsciiStl(ring), 'filename=ring-ascii.stl');
    assert.equal(ascii.format, 'ascii');
    assert.ok(Math.abs(ascii.analysis.volumeMm3 - bin.analysis.volumeMm3) / bin.analysis.volumeMm3 < 1e-6);
    // The same numbers declared in centimetres: 10× the size, 1000× the volume.
    const cm = await upload(toBinaryStl(ring), 'filename=ring.stl&units=cm');
    assert.ok(Math.abs(cm.analysis.volumeMm3 / bin.analysis.volumeMm3 - 1000) < 1e-6);
    assert.ok(Math.abs(cm.analysis.dimensionsMm[0]! / bin.analysis.dimensionsMm[0]! - 10) < 1e-9);
  });

  test('progress of an upload streams over server-sent events, ending with done', async () => {
    const id = crypto.randomUUID();
    const events: { stage: string }[] = [];
    const stream = fetch(`${platform.url}${P}/progress/${id}`).then(async (res) => {
      assert.match(res.headers.get('content-type') ?? '', /text\/event-stream/);
      const text = await res.text(); // the server ends the stream after done
      for (const line of text.split('\n'))
        if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)));
    });
    await new Promise((r) => setTimeout(r, 100)); // let the watcher connect first
    const r = await api('POST', `${P}/models?filename=ring.stl`, {
      raw: toBinaryStl(ring),
      headers: { ...OCTETS, 'x-progress-id': id },
    });
    assert.equal(r.status, 201);
    await stream;
    const stages = events.map((e) => e.stage);
    assert.ok(stages.includes('parse') && stages.includes('validate'), stages.join(','));
    assert.equal(stages.at(-1), 'done');
  });

  test('a quote binds: the order placed from it is priced at the quote, once', async () => {
    const model = await upload(toBinaryStl(ring));
    const q = await api<Quote>('POST', `${P}/quotes`, {
      json: {
        modelId: model.id,
        alloy: 'gold-750',
        quantity: 2,
        stones: [{ type: 'diamond', sizeMm: 1.5, count: 3 }],
      },
    });
    assert.equal(q.status, 201, JSON.stringify(q.body));
    assert.equal(q.body.priceListVersion, 1);
    assert.ok(q.body.breakdown.stonesMinor > 0 && q.body.breakdown.labourMinor > 0);
    const placed = await api<Order>('POST', '/api/shop/orders', {
      json: { kind: 'custom', quoteId: q.body.id, customer: CUSTOMER, submit: true },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    assert.equal(placed.body.status, 'SUBMITTED');
    // The price is the quote's from the start; the breakdown comes with PRICE_CALCULATED.
    const priced = await eventually(async () => {
      const o = await order(placed.body.id);
      return o.breakdown ? o : undefined;
    });
    assert.equal(priced.price?.amountMinor, q.body.total.amountMinor);
    assert.equal(priced.breakdown?.quoteId, q.body.id);
    const pricedBy = priced.history.find((h) => h.status === 'PRICE_CALCULATED');
    assert.equal(pricedBy?.source, 'pricing');
    const again = await api('POST', '/api/shop/orders', {
      json: { kind: 'custom', quoteId: q.body.id, customer: CUSTOMER, submit: true },
    });
    assertError(again, 409, 'QUOTE_USED', q.body.id, placed.body.id);
    const unknown = await api('POST', '/api/shop/orders', {
      json: { kind: 'custom', quoteId: crypto.randomUUID(), customer: CUSTOMER, submit: true },
    });
    assertError(unknown, 422, 'QUOTE_NOT_FOUND');
  });

  test('orders racing with one quote: one is placed, the others are told it is used', async () => {
    const model = await upload(toBinaryStl(ring));
    const q = await api<Quote>('POST', `${P}/quotes`, { json: { modelId: model.id, alloy: 'silver-925' } });
    assert.equal(q.status, 201, JSON.stringify(q.body));
    // Sent together, they reach the shop before pricing has bound the quote to any of them:
    // the shop's unique index decides. Before, a loser could get a 500 from the violated index.
    const tries = await Promise.all(
      Array.from({ length: 4 }, () =>
        api<Order>('POST', '/api/shop/orders', {
          json: { kind: 'custom', quoteId: q.body.id, customer: CUSTOMER, submit: true },
        }),
      ),
    );
    const placed = tries.filter((t) => t.status === 201);
    assert.equal(placed.length, 1, JSON.stringify(tries.map((t) => [t.status, t.body])));
    const winner = (placed[0] as { body: Order }).body.id;
    for (const t of tries.filter((t) => t.status !== 201))
      assertError(t, 409, 'QUOTE_USED', q.body.id, winner);
  });

  test('an order from a quote must not change its alloy or quantity', async () => {
    const model = await upload(toBinaryStl(ring));
    const q = await api<Quote>('POST', `${P}/quotes`, {
      json: { modelId: model.id, alloy: 'silver-925', quantity: 2 },
    });
    assert.equal(q.status, 201, JSON.stringify(q.body));
    const otherAlloy = await api('POST', '/api/shop/orders', {
      json: { kind: 'custom', quoteId: q.body.id, alloy: 'platinum-950', customer: CUSTOMER, submit: true },
    });
    assertError(otherAlloy, 422, 'QUOTE_MISMATCH', '2 × silver-925', '2 × platinum-950');
    const otherQuantity = await api('POST', '/api/partner/v1/orders', {
      json: { customer: CUSTOMER, quoteId: q.body.id, quantity: 50 },
      headers: { authorization: 'Bearer demo-partner-key', 'idempotency-key': crypto.randomUUID() },
    });
    assertError(otherQuantity, 422, 'QUOTE_MISMATCH', '50 × silver-925');
    assert.equal((await api<Quote>('GET', `${P}/quotes/${q.body.id}`)).body.orderId, null, 'nothing ordered');
    // Repeating the quote's own alloy and quantity is fine.
    const same = await api<Order>('POST', '/api/shop/orders', {
      json: {
        kind: 'custom',
        quoteId: q.body.id,
        alloy: 'silver-925',
        quantity: 2,
        customer: CUSTOMER,
        submit: true,
      },
    });
    assert.equal(same.status, 201, JSON.stringify(same.body));
  });

  test('two orders placed from one quote before either is priced: the second is priced afresh in the model’s units', async () => {
    // A model declared in centimetres: measured as millimetres it would weigh 1,000 times less.
    const model = await upload(toBinaryStl(ring), 'filename=ring.stl&units=cm');
    const q = await api<Quote>('POST', `${P}/quotes`, { json: { modelId: model.id, alloy: 'silver-925' } });
    assert.equal(q.status, 201, JSON.stringify(q.body));
    // Both orders are accepted before pricing sees either: their events wait in the outboxes.
    const pause = (service: string, relayPaused: boolean) =>
      api('PUT', `/api/${service}/faults`, { json: { relayPaused }, headers: ADMIN });
    for (const service of ['shop', 'partner']) assert.equal((await pause(service, true)).status, 200);
    let ids: string[];
    try {
      const shopOrder = await api<Order>('POST', '/api/shop/orders', {
        json: { kind: 'custom', quoteId: q.body.id, customer: CUSTOMER, submit: true },
      });
      const partnerOrder = await api<Order>('POST', '/api/partner/v1/orders', {
        json: { customer: CUSTOMER, quoteId: q.body.id },
        headers: { authorization: 'Bearer demo-partner-key', 'idempotency-key': crypto.randomUUID() },
      });
      assert.equal(shopOrder.status, 201, JSON.stringify(shopOrder.body));
      assert.equal(partnerOrder.status, 201, JSON.stringify(partnerOrder.body));
      ids = [shopOrder.body.id, partnerOrder.body.id];
    } finally {
      for (const service of ['shop', 'partner']) await pause(service, false);
    }
    const prices = await eventually(async () => {
      const shop = await order(ids[0]!);
      const partner = (
        await api<Order>('GET', `/api/partner/v1/orders/${ids[1]}`, {
          headers: { authorization: 'Bearer demo-partner-key' },
        })
      ).body;
      return shop.breakdown && partner.breakdown ? [shop, partner] : undefined;
    });
    // One of them bound the quote; the other was measured again, in centimetres, at the same
    // price list: the same total, without the quote's id.
    assert.deepEqual(
      prices.map((o) => o.price?.amountMinor),
      [q.body.total.amountMinor, q.body.total.amountMinor],
    );
    assert.deepEqual(prices.map((o) => o.breakdown?.quoteId === q.body.id).sort(), [false, true]);
  });

  test('an order priced again keeps the quote it bound, even once the quote has expired', async () => {
    const model = await upload(toBinaryStl(ring));
    const q = await api<Quote>('POST', `${P}/quotes`, { json: { modelId: model.id, alloy: 'gold-585' } });
    assert.equal(q.status, 201, JSON.stringify(q.body));
    const placed = await api<Order>('POST', '/api/shop/orders', {
      json: { kind: 'custom', quoteId: q.body.id, customer: CUSTOMER, submit: true },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    await eventually(async () => ((await order(placed.body.id)).breakdown ? true : undefined));
    const pricing = platform.services.find((s) => s.def.name === 'pricing')?.ctx;
    assert.ok(pricing);
    await pricing.db.query(`UPDATE quotes SET expires_at = now() - interval '1 hour' WHERE id = $1`, [
      q.body.id,
    ]);
    // A retry or a redelivery of the order's pricing after the quote's validity ended. No engine:
    // the quote's price needs no measuring, and measuring would fail the test.
    const deps = { db: pricing.db, storage: pricing.storage, engine: undefined as never, attempts: 1 };
    const request = { kind: 'custom' as const, alloy: 'gold-585', quantity: 1, quoteId: q.body.id };
    const again = await priceOrder(deps, placed.body.id, request);
    assert.ok('breakdown' in again, JSON.stringify(again));
    assert.equal(again.breakdown.quoteId, q.body.id);
    assert.equal(again.breakdown.total.amountMinor, q.body.total.amountMinor);
    // Another order still cannot have it: without a model of its own it cannot be priced.
    const other = await priceOrder(deps, crypto.randomUUID(), request);
    assert.ok('rejected' in other, JSON.stringify(other));
  });

  test('partners: the price API quotes a base64 model, and an order from the quote keeps its price', async () => {
    const partner = { authorization: 'Bearer demo-partner-key' };
    const q = await api<Quote & { modelKey: string }>('POST', '/api/partner/v1/quotes', {
      json: {
        alloy: 'platinum-950',
        quantity: 1,
        model: { filename: 'ring.stl', contentBase64: toBinaryStl(ring).toString('base64') },
      },
      headers: partner,
    });
    assert.equal(q.status, 201, JSON.stringify(q.body));
    assert.ok(q.body.total.amountMinor > 0);
    const bad = await api('POST', '/api/partner/v1/quotes', {
      json: {
        alloy: 'platinum-950',
        model: { filename: 'x.stl', contentBase64: Buffer.from('%PDF-1.7 no').toString('base64') },
      },
      headers: partner,
    });
    assertError(bad, 422, 'MODEL_NOT_STL');
    const placed = await api<Order>('POST', '/api/partner/v1/orders', {
      json: { reference: 'PQ-1', customer: CUSTOMER, quoteId: q.body.id },
      headers: { ...partner, 'idempotency-key': crypto.randomUUID() },
    });
    assert.equal(placed.status, 201, JSON.stringify(placed.body));
    const priced = await eventually(async () => {
      const o = (await api<Order>('GET', `/api/partner/v1/orders/${placed.body.id}`, { headers: partner }))
        .body;
      return o.price ? o : undefined;
    });
    assert.equal(priced.price?.amountMinor, q.body.total.amountMinor);
    assert.equal(priced.breakdown?.quoteId, q.body.id);

    // Orders racing with one quote under different keys: one placed, the others told it is used.
    // Before, each was accepted, and all but one were priced afresh instead of at the quote.
    const q2 = await api<Quote>('POST', '/api/partner/v1/quotes', {
      json: {
        alloy: 'silver-925',
        model: { filename: 'r.stl', contentBase64: toBinaryStl(ring).toString('base64') },
      },
      headers: partner,
    });
    assert.equal(q2.status, 201, JSON.stringify(q2.body));
    const tries = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        api<Order>('POST', '/api/partner/v1/orders', {
          json: { reference: `PQ-race-${i}`, customer: CUSTOMER, quoteId: q2.body.id },
          headers: { ...partner, 'idempotency-key': crypto.randomUUID() },
        }),
      ),
    );
    const won = tries.filter((t) => t.status === 201);
    assert.equal(won.length, 1, JSON.stringify(tries.map((t) => [t.status, t.body])));
    for (const t of tries.filter((t) => t.status !== 201))
      assertError(t, 409, 'QUOTE_USED', q2.body.id, (won[0] as { body: Order }).body.id);
  });

  test('a new price-list version prices new quotes; earlier quotes keep theirs', async () => {
    const model = await upload(toBinaryStl(ring));
    const before = await api<Quote>('POST', `${P}/quotes`, {
      json: { modelId: model.id, alloy: 'gold-585' },
    });
    const body = {
      note: 'gold up 10%',
      priceList: {
        ...DEFAULT_PRICE_LIST,
        alloys: DEFAULT_PRICE_LIST.alloys.map((a) =>
          a.id === 'gold-585' ? { ...a, pricePerGramMinor: Math.round(a.pricePerGramMinor * 1.1) } : a,
        ),
      },
    };
    assertError(await api('POST', `${P}/price-lists`, { json: body }), 401, 'UNAUTHORIZED', 'administrator');
    const published = await api<{ version: number }>('POST', `${P}/price-lists`, {
      json: body,
      headers: ADMIN,
    });
    assert.equal(published.status, 201, JSON.stringify(published.body));
    const after = await api<Quote>('POST', `${P}/quotes`, { json: { modelId: model.id, alloy: 'gold-585' } });
    assert.equal(after.body.priceListVersion, published.body.version);
    assert.ok(after.body.total.amountMinor > before.body.total.amountMinor);
    const old = await api<Quote>('GET', `${P}/quotes/${before.body.id}`);
    assert.equal(old.body.priceListVersion, before.body.priceListVersion);
    assert.equal(old.body.total.amountMinor, before.body.total.amountMinor);
    const v1 = await api<{ version: number; alloys: { id: string; pricePerGramMinor: number }[] }>(
      'GET',
      `${P}/price-lists/${before.body.priceListVersion}`,
    );
    assert.equal(v1.body.alloys.find((a) => a.id === 'gold-585')?.pricePerGramMinor, 3500);
  });

  test('crashing workers park the order in PRICING_FAILED for staff; a retry prices it', async () => {
    const config = platform.services.find((s) => s.def.name === 'pricing')?.ctx.config as {
      PRICING_FAULT: string;
    };
    const created = await api<Order>('POST', '/api/shop/orders', {
      json: { kind: 'custom', alloy: 'silver-925', customer: CUSTOMER },
    });
    await api('PUT', `/api/shop/orders/${created.body.id}/model`, {
      raw: toBinaryStl(ring),
      headers: OCTETS,
    });
    config.PRICING_FAULT = 'crash';
    try {
      await api('POST', `/api/shop/orders/${created.body.id}/submit`, { json: {} });
      const parked = await eventually(async () => {
        const o = await order(created.body.id);
        return o.status === 'PRICING_FAILED' ? o : undefined;
      });
      assert.match(parked.rejectionReason ?? '', /after 2 tries/);
      const crm = await api<{ status: string }>('GET', `/api/crm/orders/${created.body.id}`);
      assert.equal(crm.body.status, 'PRICING_FAILED');
      const failed = await api<{ items: { orderId: string }[] }>('GET', `${P}/jobs`);
      assert.ok(failed.body.items.some((j) => j.orderId === created.body.id));
    } finally {
      config.PRICING_FAULT = 'none';
    }
    assertError(await api('POST', `${P}/jobs/${created.body.id}/retry`), 401, 'UNAUTHORIZED');
    const retried = await api<{ status: string }>('POST', `${P}/jobs/${created.body.id}/retry`, {
      headers: ADMIN,
    });
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.equal(retried.body.status, 'priced');
    const approved = await eventually(async () => {
      const o = await order(created.body.id);
      return o.status === 'MANUFACTURING_APPROVED' ? o : undefined;
    });
    assert.equal(approved.rejectionReason ?? null, null);
    assertError(
      await api('POST', `${P}/jobs/${created.body.id}/retry`, { headers: ADMIN }),
      409,
      'PRICE_JOB_NOT_FAILED',
    );
  });

  test('a seller cancels an order whose pricing failed: its job closes and cannot be retried', async () => {
    const config = platform.services.find((s) => s.def.name === 'pricing')?.ctx.config as {
      PRICING_FAULT: string;
    };
    const created = await api<Order>('POST', '/api/shop/orders', {
      json: { kind: 'custom', alloy: 'gold-585', customer: CUSTOMER },
    });
    await api('PUT', `/api/shop/orders/${created.body.id}/model`, {
      raw: toBinaryStl(ring),
      headers: OCTETS,
    });
    config.PRICING_FAULT = 'hang';
    try {
      await api('POST', `/api/shop/orders/${created.body.id}/submit`, { json: {} });
      await eventually(async () =>
        (await order(created.body.id)).status === 'PRICING_FAILED' ? true : undefined,
      );
    } finally {
      config.PRICING_FAULT = 'none';
    }
    const cancelled = await api('POST', `/api/crm/orders/${created.body.id}/cancel`, {
      json: { seller: 'Grace', reason: 'customer changed their mind' },
    });
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
    const job = await eventually(async () => {
      const j = await api<{ status: string; reason: string }>('GET', `${P}/jobs/${created.body.id}`);
      return j.body.status === 'closed' ? j.body : undefined;
    });
    assert.match(job.reason, /cancelled by seller:Grace: customer changed their mind/);
    const listed = await api<{ items: { orderId: string }[] }>('GET', `${P}/jobs`);
    assert.ok(!listed.body.items.some((j) => j.orderId === created.body.id), 'no longer in front of staff');
    assertError(
      await api('POST', `${P}/jobs/${created.body.id}/retry`, { headers: ADMIN }),
      409,
      'PRICE_JOB_NOT_FAILED',
      'closed',
    );
  });

  test('the operator can read the model of a custom order from the MES', async () => {
    const model = await upload(toBinaryStl(ring));
    const q = await api<Quote>('POST', `${P}/quotes`, { json: { modelId: model.id, alloy: 'silver-925' } });
    const placed = await api<Order>('POST', '/api/shop/orders', {
      json: { kind: 'custom', quoteId: q.body.id, customer: CUSTOMER, submit: true },
    });
    const mes = await eventually(async () => {
      const r = await api<{ modelUrl?: string }>('GET', `/api/mes/orders/${placed.body.id}`);
      return r.status === 200 ? r.body : undefined;
    });
    assert.equal(mes.modelUrl, `/api/mes/orders/${placed.body.id}/model`);
    const file = await fetch(`${platform.url}${mes.modelUrl}`);
    assert.equal(file.status, 200);
    assert.deepEqual(new Uint8Array(await file.arrayBuffer()), new Uint8Array(toBinaryStl(ring)));
  });
});
