/**
 * The tracker on the embedded platform: the journey of an order, a deadline that opens an
 * incident within 5 s and closes it only when the order moves on, a message that ran out of
 * retries (fault injection) becoming an incident that closes once the retried message is
 * handled, and a message dropped on purpose found by reconciliation and recovered.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { client, type Client } from '../api/http.js';
import { eventually, startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { scrape, sumOf } from '../support/prometheus.js';
import { startSmtpServer } from '../support/smtp.js';
import { openSse } from '../support/sse.js';

const ADMIN = { authorization: 'Bearer atelier-admin' };
const CUSTOMER = { name: 'Tom Tracker', email: 'tom@example.com' };

interface Incident {
  id: string;
  kind: string;
  orderId: string | null;
  status: string | null;
  service: string | null;
  eventType: string | null;
  audience: string;
  summary: string;
  dueAt: string | null;
  openedAt: string;
  resolvedAt: string | null;
  resolution: string | null;
}

async function catalogOrder(api: Client): Promise<string> {
  const made = await api<{ id: string }>('POST', '/api/shop/orders', {
    json: { kind: 'catalog', catalogSku: 'RING-TORUS-585', customer: CUSTOMER },
  });
  assert.equal(made.status, 201);
  assert.equal((await api('POST', `/api/shop/orders/${made.body.id}/submit`, { json: {} })).status, 200);
  return made.body.id;
}

async function incidentsOf(api: Client, orderId: string, state = 'all'): Promise<Incident[]> {
  const r = await api<{ items: Incident[] }>(
    'GET',
    `/api/tracker/incidents?state=${state}&orderId=${orderId}`,
  );
  assert.equal(r.status, 200);
  return r.body.items;
}

async function setFaults(api: Client, service: string, faults: Record<string, unknown>): Promise<void> {
  const r = await api('PUT', `/api/${service}/faults`, { json: faults, headers: ADMIN });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

test('the tracker follows journeys, opens incidents on time and closes them only when fixed', async (t) => {
  const smtp = await startSmtpServer();
  const platform: EmbeddedPlatform = await startEmbedded({
    SMTP_URL: smtp.url,
    // Catalog orders wait for a seller, so an order can be late at PRICE_CALCULATED.
    CRM_AUTO_APPROVE_CATALOG: 'false',
    CRM_AUTO_APPROVE_LIMIT_MINOR: '0',
    TRACKER_SWEEP_MS: '250',
    TRACKER_RECONCILE_MS: '500',
    TRACKER_LOST_GRACE_MS: '1500',
  });
  const api = client(platform.url);
  try {
    await t.test(
      'an order past its stage deadline has an incident within 5 s; it closes when the order moves on',
      async () => {
        const subscribed = await api('PUT', '/api/tracker/subscribers', {
          json: { audience: 'seller', email: 'sales@example.com' },
          headers: ADMIN,
        });
        assert.equal(subscribed.status, 204, JSON.stringify(subscribed.body));
        const sellers = await openSse(`${platform.url}/api/tracker/notifications/stream?audience=seller`);
        const set = await api('PUT', '/api/tracker/deadlines', {
          json: { status: 'PRICE_CALCULATED', seconds: 2 },
          headers: ADMIN,
        });
        assert.equal(set.status, 200, JSON.stringify(set.body));
        const before = sumOf((await scrape(platform.url)).samples, 'atelier_sla_breaches_total', {
          stage: 'PRICE_CALCULATED',
        });
        const orderId = await catalogOrder(api);
        const late = await eventually(
          async () => (await incidentsOf(api, orderId, 'open')).find((i) => i.kind === 'late'),
          15_000,
          'a late incident',
        );
        assert.equal(late.status, 'PRICE_CALCULATED');
        assert.equal(late.audience, 'seller', 'sellers approve priced orders');
        const afterDeadline = Date.parse(late.openedAt) - Date.parse(late.dueAt ?? '');
        assert.ok(
          afterDeadline >= 0 && afterDeadline < 5000,
          `opened ${afterDeadline} ms after the deadline`,
        );
        // Sellers hear of it live and by e-mail; operators are not bothered.
        const live = await sellers.waitFor(
          (e) => e.event === 'notification' && (e.data as { incidentId: string }).incidentId === late.id,
          5000,
          'the live notification',
        );
        assert.equal((live.data as { state: string }).state, 'open');
        const mail = await eventually(
          async () => (await smtp.received()).find((m) => m.subject.includes(late.summary.slice(0, 40))),
          15_000,
          'the e-mail to sales',
        );
        assert.deepEqual(mail.to, ['sales@example.com']);
        const forOperators = await api<{ items: { incidentId: string }[] }>(
          'GET',
          '/api/tracker/notifications?audience=operator',
        );
        assert.ok(!forOperators.body.items.some((n) => n.incidentId === late.id));
        const lateList = await api<{ items: { orderId: string }[] }>('GET', '/api/tracker/late');
        assert.ok(lateList.body.items.some((o) => o.orderId === orderId));
        assert.equal(
          sumOf((await scrape(platform.url)).samples, 'atelier_sla_breaches_total', {
            stage: 'PRICE_CALCULATED',
          }) - before,
          1,
        );

        // Still open a while later: time alone resolves nothing.
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal((await incidentsOf(api, orderId, 'open')).length, 1);

        const approved = await api('POST', `/api/crm/orders/${orderId}/approve`, {
          json: { seller: 'Sam Seller' },
        });
        assert.equal(approved.status, 200, JSON.stringify(approved.body));
        const closed = await eventually(
          async () => (await incidentsOf(api, orderId)).find((i) => i.id === late.id && i.resolvedAt),
          10_000,
          'the incident resolved',
        );
        assert.match(closed.resolution ?? '', /MANUFACTURING_APPROVED/);
        await sellers.waitFor(
          (e) =>
            e.event === 'notification' &&
            (e.data as { incidentId: string; state: string }).incidentId === late.id &&
            (e.data as { state: string }).state === 'resolved',
          5000,
          'the resolved notification',
        );
        sellers.close();

        const journey = await api<{
          status: string;
          steps: { status: string; service: string; actor: string; tookMs: number | null }[];
          incidents: Incident[];
        }>('GET', `/api/tracker/orders/${orderId}/journey`);
        assert.equal(journey.status, 200);
        assert.equal(journey.body.status, 'MANUFACTURING_APPROVED');
        assert.deepEqual(
          journey.body.steps.map((s) => `${s.status}@${s.service}`),
          ['INITIATED@shop', 'SUBMITTED@shop', 'PRICE_CALCULATED@pricing', 'MANUFACTURING_APPROVED@crm'],
        );
        assert.equal(journey.body.steps[0]?.tookMs, null);
        assert.ok((journey.body.steps[3]?.tookMs ?? 0) >= 2000, 'the approval came after the deadline');
        assert.match(journey.body.steps[3]?.actor ?? '', /Sam Seller/);
        assert.equal(journey.body.incidents.length, 1);
        await api('PUT', '/api/tracker/deadlines', {
          json: { status: 'PRICE_CALCULATED', workingDays: 1 },
          headers: ADMIN,
        });
      },
    );

    await t.test(
      'a message that ran out of retries is an incident until the retried message is handled',
      async () => {
        await setFaults(api, 'mes', { failEventType: 'order.price_calculated.v1' });
        const orderId = await catalogOrder(api);
        const dead = await eventually(
          async () => (await incidentsOf(api, orderId, 'open')).find((i) => i.kind === 'dead_letter'),
          20_000,
          'a dead-letter incident',
        );
        assert.equal(dead.service, 'mes');
        assert.equal(dead.eventType, 'order.price_calculated.v1');
        assert.match(dead.summary, /fault injection/);
        // Reconciliation does not also call it lost: it has its own incident.
        assert.ok(!(await incidentsOf(api, orderId)).some((i) => i.kind === 'lost'));

        // A retry while the fault is still on fails again: the incident stays open.
        await setFaults(api, 'mes', { failEventType: null });
        const retried = await api<{ retried: string[] }>('POST', `/api/tracker/incidents/${dead.id}/retry`, {
          headers: ADMIN,
        });
        assert.equal(retried.status, 202, JSON.stringify(retried.body));
        const fixed = await eventually(
          async () => (await incidentsOf(api, orderId)).find((i) => i.id === dead.id && i.resolvedAt),
          15_000,
          'the dead-letter incident resolved',
        );
        assert.match(fixed.resolution ?? '', /handled the message/);

        const notRetryable = await api('POST', `/api/tracker/incidents/${dead.id}/retry`, { headers: ADMIN });
        assert.equal(notRetryable.status, 409);
        assert.match(String((notRetryable.body as { message: string }).message), /already resolved/);
      },
    );

    await t.test(
      'a message removed on purpose is found by reconciliation as lost, and recovered',
      async () => {
        await setFaults(api, 'mes', { dropEventType: 'order.price_calculated.v1' });
        const orderId = await catalogOrder(api);
        const lost = await eventually(
          async () => (await incidentsOf(api, orderId, 'open')).find((i) => i.kind === 'lost'),
          20_000,
          'a lost incident',
        );
        assert.equal(lost.service, 'mes');
        assert.equal(lost.eventType, 'order.price_calculated.v1');
        assert.match(lost.summary, /mes never received order\.price_calculated\.v1/);
        await setFaults(api, 'mes', { dropEventType: null });
        const retried = await api('POST', `/api/tracker/incidents/${lost.id}/retry`, { headers: ADMIN });
        assert.equal(retried.status, 202, JSON.stringify(retried.body));
        const fixed = await eventually(
          async () => (await incidentsOf(api, orderId)).find((i) => i.id === lost.id && i.resolvedAt),
          15_000,
          'the lost incident resolved',
        );
        assert.match(fixed.resolution ?? '', /handled the event/);
      },
    );

    await t.test(
      'a duplicate delivery has one effect; an unreachable broker holds events until it is back',
      async () => {
        await setFaults(api, 'crm', { duplicateEventType: 'order.submitted.v1' });
        await setFaults(api, 'mes', { slowEventType: 'order.submitted.v1', slowMs: 1000 });
        const before = sumOf((await scrape(platform.url)).samples, 'atelier_messages_consumed_total', {
          consumer: 'crm',
          type: 'order.submitted.v1',
          outcome: 'duplicate',
        });
        const twice = await catalogOrder(api);
        await eventually(
          async () =>
            sumOf((await scrape(platform.url)).samples, 'atelier_messages_consumed_total', {
              consumer: 'crm',
              type: 'order.submitted.v1',
              outcome: 'duplicate',
            }) > before
              ? true
              : undefined,
          10_000,
          'the second copy seen as a duplicate',
        );
        const crmOrder = await api<{ history: { status: string }[] }>('GET', `/api/crm/orders/${twice}`);
        const statuses = crmOrder.body.history.map((h) => h.status);
        assert.deepEqual(statuses, [...new Set(statuses)], 'one history entry per status');
        await eventually(
          async () =>
            (await api<{ status: string }>('GET', `/api/mes/orders/${twice}`)).status === 200
              ? true
              : undefined,
          10_000,
          'the slowed MES still took the order',
        );
        await setFaults(api, 'crm', { duplicateEventType: null });
        await setFaults(api, 'mes', { slowEventType: null, slowMs: 0 });

        await setFaults(api, 'shop', { brokerUnreachable: true });
        const held = await catalogOrder(api);
        await new Promise((r) => setTimeout(r, 1000));
        assert.equal(
          (await api('GET', `/api/tracker/orders/${held}/journey`)).status,
          404,
          'nothing published',
        );
        assert.ok(
          sumOf((await scrape(platform.url)).samples, 'atelier_outbox_unpublished', { service: 'shop' }) >= 2,
          'its events wait in the outbox',
        );
        await setFaults(api, 'shop', { brokerUnreachable: false });
        await eventually(
          async () => {
            const j = await api<{ status: string }>('GET', `/api/tracker/orders/${held}/journey`);
            return j.status === 200 && j.body.status === 'PRICE_CALCULATED' ? true : undefined;
          },
          15_000,
          'the held order flowing once the broker is back',
        );
      },
    );

    await t.test("Alertmanager's webhook turns alerts into notifications for their audience", async () => {
      const payload = {
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'OrderLateInStage', status: 'MANUFACTURING_STARTED', audience: 'operator' },
            annotations: {
              summary: '3 order(s) past their deadline in MANUFACTURING_STARTED',
              description: 'see /late',
            },
          },
        ],
      };
      assert.equal((await api('POST', '/api/tracker/alerts', { json: payload })).status, 401);
      const sent = await api('POST', '/api/tracker/alerts', { json: payload, headers: ADMIN });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      const ops = await api<{ items: { alertName: string; title: string; severity: string }[] }>(
        'GET',
        '/api/tracker/notifications?audience=operator',
      );
      const n = ops.body.items.find((x) => x.alertName === 'OrderLateInStage');
      assert.equal(n?.title, '3 order(s) past their deadline in MANUFACTURING_STARTED');
      assert.equal(n?.severity, 'warning');
    });

    await t.test('bad input to the tracker is a 4xx that says what to do', async () => {
      const noToken = await api('PUT', '/api/tracker/deadlines', {
        json: { status: 'SUBMITTED', seconds: 60 },
      });
      assert.equal(noToken.status, 401);
      const terminal = await api('PUT', '/api/tracker/deadlines', {
        json: { status: 'CLOSED', seconds: 60 },
        headers: ADMIN,
      });
      assert.equal(terminal.status, 400);
      assert.equal((terminal.body as { code: string }).code, 'DEADLINE_STATUS_INVALID');
      const unknown = await api('GET', '/api/tracker/orders/01234567-89ab-7def-8123-456789abcdef/journey');
      assert.equal(unknown.status, 404);
      assert.equal((unknown.body as { code: string }).code, 'JOURNEY_NOT_FOUND');
      const badFault = await api('PUT', '/api/mes/faults', {
        json: { failEventType: 'order.exploded.v1' },
        headers: ADMIN,
      });
      assert.equal(badFault.status, 400);
    });
  } finally {
    await platform.destroy();
    await smtp.stop();
  }
});
