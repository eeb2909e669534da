/**
 * `/metrics` on the embedded platform: RED per route with channel and partner, the order
 * pipeline, messaging and pools, all moving with real orders, and named and labelled by the
 * Prometheus conventions with no order id in any label.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { cubeStl } from '../../src/platform/geometry/generate.js';
import { client } from '../api/http.js';
import { eventually, startEmbedded } from '../support/embedded.js';
import { scrape, sumOf, type Sample } from '../support/prometheus.js';

const CUSTOMER = { name: 'Mia Metrics', email: 'mia@example.com' };
const PARTNER = { authorization: 'Bearer demo-partner-key' };

test('metrics follow real orders through every service', async () => {
  const platform = await startEmbedded();
  try {
    const api = client(platform.url);
    const before = (await scrape(platform.url)).samples;
    const delta = async (name: string, match: Record<string, string> = {}) =>
      sumOf((await scrape(platform.url)).samples, name, match) - sumOf(before, name, match);

    // Two shop orders and one partner order, each to MANUFACTURING_APPROVED.
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const made = await api<{ id: string }>('POST', '/api/shop/orders', {
        json: { kind: 'catalog', catalogSku: 'RING-TORUS-585', customer: CUSTOMER },
      });
      assert.equal(made.status, 201);
      ids.push(made.body.id);
      assert.equal((await api('POST', `/api/shop/orders/${made.body.id}/submit`, { json: {} })).status, 200);
    }
    const partner = await api<{ id: string }>('POST', '/api/partner/v1/orders', {
      json: {
        reference: 'M-1',
        alloy: 'silver-925',
        customer: CUSTOMER,
        model: { filename: 'cube.stl', contentBase64: Buffer.from(cubeStl(10)).toString('base64') },
      },
      headers: { ...PARTNER, 'idempotency-key': 'metrics-1' },
    });
    assert.equal(partner.status, 201, JSON.stringify(partner.body));
    ids.push(partner.body.id);
    const wrongKey = await api('GET', '/api/partner/v1/orders', {
      headers: { authorization: 'Bearer nope' },
    });
    assert.equal(wrongKey.status, 401);

    // The approvals counted by the CRM, then handled by the MES, and every outbox drained
    // (relays and consumers linger a little for company, so the MES comes a moment later).
    await eventually(
      async () =>
        (await delta('atelier_order_transitions_total', {
          service: 'crm',
          status: 'MANUFACTURING_APPROVED',
        })) === 3 &&
        (await delta('atelier_messages_consumed_total', { consumer: 'mes', outcome: 'handled' })) >= 9 &&
        sumOf((await scrape(platform.url)).samples, 'atelier_outbox_unpublished') === 0
          ? true
          : undefined,
      20_000,
      'three approvals counted, handled by the MES, nothing left to publish',
    );

    const { samples, types } = await scrape(platform.url);
    const d = (name: string, match: Record<string, string> = {}) =>
      sumOf(samples, name, match) - sumOf(before, name, match);

    // RED: rate and errors by route template, channel and partner; duration by route.
    assert.equal(
      d('atelier_http_requests_total', {
        route: '/api/shop/orders',
        method: 'POST',
        status_code: '201',
        channel: 'b2c',
      }),
      2,
    );
    assert.equal(
      d('atelier_http_requests_total', { route: '/api/shop/orders/:id/submit', channel: 'b2c' }),
      2,
    );
    const partnerRequests = samples.filter(
      (s) =>
        s.name === 'atelier_http_requests_total' &&
        s.labels.route === '/api/partner/v1/orders' &&
        s.labels.method === 'POST',
    );
    assert.equal(partnerRequests.length, 1);
    assert.equal(partnerRequests[0]?.labels.channel, 'b2b');
    assert.match(
      partnerRequests[0]?.labels.partner ?? '',
      /^[0-9a-f-]{36}$/,
      'the partner id labels its requests',
    );
    assert.equal(
      d('atelier_http_requests_total', {
        route: '/api/partner/v1/orders',
        method: 'GET',
        status_code: '401',
        partner: '',
      }),
      1,
      'an unknown key is an error of no partner',
    );
    assert.equal(
      d('atelier_http_request_duration_seconds_count', { route: '/api/shop/orders', method: 'POST' }),
      2,
    );

    // The pipeline: orders created by channel, transitions, time in each stage, pricing time.
    assert.equal(d('atelier_orders_created_total', { channel: 'b2c' }), 2);
    assert.equal(d('atelier_orders_created_total', { channel: 'b2b' }), 1);
    assert.equal(d('atelier_order_transitions_total', { service: 'pricing', status: 'PRICE_CALCULATED' }), 3);
    assert.equal(
      d('atelier_order_stage_duration_seconds_count', { service: 'crm', stage: 'PRICE_CALCULATED' }),
      3,
    );
    assert.equal(
      d('atelier_order_stage_duration_seconds_count', { service: 'pricing', stage: 'SUBMITTED' }),
      3,
    );
    assert.equal(
      d('atelier_price_calculation_duration_seconds_count', { size: 'lt_10k' }),
      1,
      'the partner model',
    );

    // Messaging: everything published, consumed once, nothing left behind.
    assert.ok(d('atelier_outbox_published_total') >= 3 * 3, 'submitted, priced and approved at least');
    assert.ok(d('atelier_messages_consumed_total', { consumer: 'mes', outcome: 'handled' }) >= 9);
    assert.equal(sumOf(samples, 'atelier_outbox_unpublished'), 0);
    assert.equal(sumOf(samples, 'atelier_outbox_oldest_unpublished_age_seconds'), 0);
    assert.equal(
      sumOf(samples, 'atelier_db_pool_connections', { service: 'shop', state: 'total' }),
      1,
      'PGlite',
    );
    assert.ok(sumOf(samples, 'atelier_worker_pool_threads', { service: 'pricing' }) >= 1);
    assert.ok(sumOf(samples, 'process_cpu_seconds_total') > 0, 'the default process metrics');

    // A message whose payload breaks the contract: dead-lettered, counted, visible as a gauge.
    const { transport } = platform.services[0]!.ctx;
    await transport.sendToConsumer('crm', {
      id: randomUUID(),
      type: 'order.submitted.v1',
      orderId: randomUUID(),
      occurredAt: new Date().toISOString(),
      source: 'test',
      payload: { orderNumber: 'missing every other field' },
    } as never);
    await eventually(
      async () =>
        sumOf((await scrape(platform.url)).samples, 'atelier_dead_letters', { consumer: 'crm' }) === 1
          ? true
          : undefined,
      10_000,
      'the dead letter on the gauge',
    );
    assert.equal(
      await delta('atelier_messages_consumed_total', { type: 'invalid', outcome: 'dead-lettered' }),
      1,
    );

    // Conventions: snake_case names, counters end in _total, base units, and never an order id
    // in a label (that would make a series per order).
    for (const [name, type] of types) {
      assert.match(name, /^[a-z_][a-z0-9_]*$/, name);
      if (type === 'counter') assert.ok(name.endsWith('_total'), `counter ${name} ends in _total`);
      if (name.startsWith('atelier_') && /_(duration|lag|age)_/.test(name))
        assert.ok(name.endsWith('_seconds'), name);
    }
    const orderIds = new Set(ids);
    const leaking = samples.filter((s: Sample) =>
      Object.entries(s.labels).some(([k, v]) => /order/i.test(k) || orderIds.has(v)),
    );
    assert.deepEqual(leaking, []);
  } finally {
    await platform.destroy();
  }
});

test('METRICS=false serves no /metrics', async () => {
  const platform = await startEmbedded({ METRICS: 'false' });
  try {
    assert.equal((await fetch(`${platform.url}/metrics`)).status, 404);
  } finally {
    await platform.destroy();
  }
});
