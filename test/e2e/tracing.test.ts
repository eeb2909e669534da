/**
 * Tracing across the distributed mode: every service its own process exporting OTLP to a
 * receiver, orders driven through the whole lifecycle (seller, operators and carrier included)
 * by `simulate`. For each order, the spans of every service it crossed, the asynchronous hops
 * through RabbitMQ included, are in its trace or in traces linked to it, and carry its id.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issuePartnerKey } from '../../src/cli/cluster.js';
import { startTestCluster } from '../support/cluster.js';
import { runSimulation } from '../../src/cli/simulate/run.js';
import { startOtlpReceiver, type ReceivedSpan } from '../support/otlp-receiver.js';

const TIERS = [100, 400];
const PRODUCER = 4;
const CONSUMER = 5;

/** Traces joined by links, as a tracing UI follows them: trace id → its group's representative. */
function linkedGroups(spans: readonly ReceivedSpan[]): (traceId: string) => string {
  const up = new Map<string, string>();
  const find = (t: string): string => {
    const p = up.get(t);
    if (p === undefined || p === t) return t;
    const root = find(p);
    up.set(t, root);
    return root;
  };
  for (const s of spans)
    for (const l of s.links) {
      const a = find(s.traceId);
      const b = find(l.traceId);
      if (a !== b) up.set(a, b);
    }
  return find;
}

test('one order, one story: spans from every service it crossed are in its trace or linked to it', async () => {
  const receiver = await startOtlpReceiver();
  // A cluster that fails to start must not leave the receiver listening: the open server would
  // keep this test's process alive until the runner's timeout.
  const cluster = await startTestCluster({
    label: 'trace',
    retryTiersMs: TIERS,
    env: {
      // Custom orders wait for a seller: a hop that waits for a person.
      CRM_AUTO_APPROVE_LIMIT_MINOR: '1',
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
    },
  }).catch(async (err: unknown) => {
    await receiver.close();
    throw err;
  });
  try {
    const apiKey = await issuePartnerKey(cluster, 'Tracing test partner');
    const summary = await runSimulation({
      orders: 8,
      rate: 8,
      baseUrl: '',
      urls: cluster.simulateUrls,
      deadlineSeconds: 90,
      operators: 2,
      partnerKey: apiKey,
      carrierToken: 'atelier-carrier',
      adminToken: 'atelier-admin',
      customShare: 0.5,
      partnerShare: 0.4,
      progress: false,
    });
    assert.equal(summary.lost, 0, `lost: ${JSON.stringify(summary.lostSamples)}`);
    // Stopping flushes every process's last spans to the receiver.
    await cluster.stop();

    const spans = receiver.spans;
    const group = linkedGroups(spans);
    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const orderIds = [
      ...new Set(
        spans
          .filter((s) => s.service === 'atelier-pricing' && s.name === 'process order.submitted.v1')
          .map((s) => String(s.attributes['order.id'])),
      ),
    ];
    assert.equal(orderIds.length, 8, 'pricing processed every order, with its order.id on the span');

    let personHops = 0;
    for (const orderId of orderIds) {
      const mine = spans.filter((s) => s.attributes['order.id'] === orderId);
      const via = mine.some((s) => s.service === 'atelier-partner-api')
        ? 'atelier-partner-api'
        : 'atelier-shop';
      const crossed = new Set(mine.map((s) => s.service));
      for (const service of [via, 'atelier-pricing', 'atelier-crm', 'atelier-mes'])
        assert.ok(
          crossed.has(service),
          `order ${orderId}: no span from ${service} (has ${[...crossed].join(', ')})`,
        );

      // The standard instrumentations saw the order's work too (HTTP, Fastify), the database
      // spans show its transactions and reads, and the messaging spans say which broker
      // carried it.
      const kinds = {
        http: mine.some(
          (s) =>
            s.attributes['http.request.method'] !== undefined || s.attributes['http.method'] !== undefined,
        ),
        fastify: mine.some(
          (s) => s.attributes['fastify.root'] === '@fastify/otel' && s.attributes['http.route'] !== undefined,
        ),
        // Its transactions as spans of their own, statements as events on them.
        transaction: mine.some(
          (s) =>
            s.attributes['db.system.name'] === 'postgresql' &&
            s.name.startsWith('transaction ') &&
            s.events.includes('db.statement'),
        ),
        // A read of it (the simulated customer or partner following the order): a statement
        // outside a transaction, a span of its own.
        statement: mine.some(
          (s) =>
            s.attributes['db.system.name'] === 'postgresql' && s.attributes['db.operation.name'] === 'SELECT',
        ),
        amqp: mine.some((s) => s.attributes['messaging.system'] === 'rabbitmq'),
      };
      assert.deepEqual(
        kinds,
        { http: true, fastify: true, transaction: true, statement: true, amqp: true },
        `order ${orderId}`,
      );

      // Every asynchronous hop is a child of the relay's publish span for that event, from the
      // service that wrote it, in the same trace: the context crossed the outbox and the broker.
      const hops = mine.filter((s) => s.kind === CONSUMER && s.name.startsWith('process '));
      const consumers = new Set(hops.map((s) => s.service));
      for (const service of [via, 'atelier-pricing', 'atelier-crm', 'atelier-mes'])
        assert.ok(consumers.has(service), `order ${orderId}: no consumer span in ${service}`);
      for (const hop of hops) {
        const parent = byId.get(hop.parentSpanId ?? '');
        assert.ok(parent, `order ${orderId}: ${hop.service} ${hop.name} has no exported parent`);
        assert.equal(parent.kind, PRODUCER);
        assert.equal(parent.name, hop.name.replace('process ', 'publish '));
        assert.equal(parent.traceId, hop.traceId);
      }

      // The traces that moved the order on (a status change or a consumed event in them) are one
      // group through links: customers, sellers, operators and the carrier each act in a trace of
      // their own that links to the order's previous step. (Reads of the order are found by its
      // id, but are not steps and link to nothing.)
      const steps = new Set(
        mine
          .filter((s) => s.kind === CONSUMER || s.events.includes('order.status_changed'))
          .map((s) => s.traceId),
      );
      const groups = new Set([...steps].map((t) => group(t)));
      const roots = () =>
        mine
          .filter((s) => steps.has(s.traceId) && (!s.parentSpanId || !byId.has(s.parentSpanId)))
          .map((s) => `${s.service} "${s.name}" trace ${s.traceId.slice(0, 8)} links ${s.links.length}`)
          .join('; ');
      assert.equal(
        groups.size,
        1,
        `order ${orderId}: its spans fall into ${groups.size} unlinked traces: ${roots()}`,
      );
      personHops += steps.size - 1;
      const traces = new Set(mine.map((s) => s.traceId));

      // Every span in those traces is about this order and says so.
      const chain = (s: ReceivedSpan): string => {
        const names: string[] = [];
        for (let p: ReceivedSpan | undefined = s; p; p = byId.get(p.parentSpanId ?? ''))
          names.push(`${p.service} "${p.name}" (${String(p.attributes['order.id'] ?? 'no order')})`);
        return names.join(' < ');
      };
      for (const s of spans.filter((x) => traces.has(x.traceId)))
        assert.equal(
          s.attributes['order.id'],
          orderId,
          `${s.service} span "${s.name}" lacks order.id ${orderId}; its ancestry: ${chain(s)}`,
        );
    }
    assert.ok(personHops > 0, 'people acted on the orders in traces of their own, linked to the order');
  } finally {
    await cluster.destroy();
    await receiver.close();
  }
});
