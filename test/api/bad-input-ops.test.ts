/**
 * Operations endpoints on bad input: tracker bodies with a misspelt field are refused instead of
 * being read as "remove the deadline" or "retry every dead letter"; a deadline with both units
 * has its own error; the bearer scheme is case-insensitive and a missing token is named as such;
 * a workspace stream resumed from an id ahead of the feed is reset instead of going silent; a
 * shipped order's release does not advise a reassignment that would be refused, and a cancelled
 * one's says it was never approved; ids beyond what
 * the database holds are a 400, not a 500.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { openSse } from '../support/sse.js';
import { assertError, client, CUSTOMER, type Client } from './http.js';

const ADMIN = { authorization: 'Bearer atelier-admin' };

interface Deadline {
  status: string;
  channel: string;
  seconds: number | null;
  workingDays: number | null;
}
interface Incident {
  id: string;
  kind: string;
  detail: Record<string, unknown>;
  resolvedAt: string | null;
}
interface Order {
  id: string;
  number: string;
  status: string;
}

describe('operations endpoints: bad input', () => {
  let platform: EmbeddedPlatform;
  let api: Client;

  const deadlines = async (): Promise<Deadline[]> => {
    const r = await api<{ items: Deadline[] }>('GET', '/api/tracker/deadlines');
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items.map(({ status, channel, seconds, workingDays }) => ({
      status,
      channel,
      seconds,
      workingDays,
    }));
  };
  const placeOrder = async (): Promise<Order> => {
    const r = await api<Order>('POST', '/api/shop/orders', {
      json: { kind: 'catalog', catalogSku: 'PENDANT-CUBE-585', customer: CUSTOMER, submit: true },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const mesStatus = (id: string, status: string) =>
    eventually(
      async () => {
        const r = await api<Order>('GET', `/api/mes/orders/${id}`);
        return r.status === 200 && r.body.status === status ? r.body : undefined;
      },
      20_000,
      `the MES to see order ${id} ${status}`,
    );
  const setFaults = async (service: 'mes' | 'crm', faults: Record<string, unknown>) => {
    const r = await api('PUT', `/api/${service}/faults`, { json: faults, headers: ADMIN });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  };

  before(async () => {
    platform = await startEmbedded({ TRACKER_RECONCILE_MS: '500', WORKSPACE_POLL_MS: '50' });
    api = client(platform.url);
  });

  after(async () => {
    await platform?.destroy();
  });

  describe('tracker deadlines', () => {
    before(async () => {
      const set = await api('PUT', '/api/tracker/deadlines', {
        json: { status: 'PRICE_CALCULATED', seconds: 7200 },
        headers: ADMIN,
      });
      assert.equal(set.status, 200, JSON.stringify(set.body));
    });

    test('PUT /deadlines with a misspelt `second` is a 400 and the deadline stays', async () => {
      const was = await deadlines();
      assert.ok(
        was.some((d) => d.status === 'PRICE_CALCULATED' && d.channel === '*' && d.seconds === 7200),
        JSON.stringify(was),
      );
      assertError(
        await api('PUT', '/api/tracker/deadlines', {
          json: { status: 'PRICE_CALCULATED', second: 600 },
          headers: ADMIN,
        }),
        400,
        'VALIDATION_FAILED',
        "'second'",
      );
      assert.deepEqual(await deadlines(), was);
    });

    test('PUT /deadlines with both seconds and workingDays has its own code and message', async () => {
      const was = await deadlines();
      const body = assertError(
        await api('PUT', '/api/tracker/deadlines', {
          json: { status: 'SUBMITTED', seconds: 10, workingDays: 2 },
          headers: ADMIN,
        }),
        400,
        'DEADLINE_UNITS_CONFLICT',
        'seconds',
        'workingDays',
        'not both',
      );
      assert.ok(!body.message.includes('not a status an order waits in'), body.message);
      assert.deepEqual(await deadlines(), was);
    });
  });

  describe('tracker dead letters', () => {
    let dead: Incident;
    before(async () => {
      await setFaults('mes', { failEventType: 'order.price_calculated.v1' });
      const order = await placeOrder();
      dead = await eventually(
        async () => {
          const r = await api<{ items: Incident[] }>(
            'GET',
            `/api/tracker/incidents?state=open&kind=dead_letter&orderId=${order.id}`,
          );
          return r.body.items[0];
        },
        20_000,
        'a dead-letter incident',
      );
      await setFaults('mes', { failEventType: null });
    });

    test('POST /dead-letters/retry with a misspelt `incidentId` is a 400 and retries nothing', async () => {
      assertError(
        await api('POST', '/api/tracker/dead-letters/retry', {
          json: { incidentId: [dead.id] },
          headers: ADMIN,
        }),
        400,
        'VALIDATION_FAILED',
        "'incidentId'",
      );
      const open = await api<{ items: Incident[] }>(
        'GET',
        '/api/tracker/incidents?state=open&kind=dead_letter',
      );
      const still = open.body.items.find((i) => i.id === dead.id);
      assert.ok(still, 'the dead-letter incident is still open');
      assert.equal(still.detail.retriedAt, undefined, 'the dead letter was not retried');
    });
  });

  describe('bearer tokens', () => {
    test('the scheme is case-insensitive: `bearer` and `BEARER` are accepted', async () => {
      for (const scheme of ['bearer', 'BEARER']) {
        const admin = await api('GET', '/api/mes/emails/failed', {
          headers: { authorization: `${scheme} atelier-admin` },
        });
        assert.equal(admin.status, 200, JSON.stringify(admin.body));
        const partner = await api('GET', '/api/partner/v1/orders', {
          headers: { authorization: `${scheme} demo-partner-key` },
        });
        assert.equal(partner.status, 200, JSON.stringify(partner.body));
      }
    });

    test('no token says that none was sent and how to send it', async () => {
      assertError(
        await api('GET', '/api/mes/emails/failed'),
        401,
        'UNAUTHORIZED',
        'no token was sent',
        'Authorization: Bearer <administrator token>',
      );
      assertError(
        await api('GET', '/api/mes/emails/failed', { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' } }),
        401,
        'UNAUTHORIZED',
        'does not use the Bearer scheme',
        'Authorization: Bearer <administrator token>',
      );
      const wrong = assertError(
        await api('GET', '/api/mes/emails/failed', { headers: { authorization: 'Bearer wrong' } }),
        401,
        'UNAUTHORIZED',
        'not the administrator',
      );
      assert.ok(!wrong.message.includes('no token was sent'), wrong.message);
    });
  });

  describe('MES workspace stream', () => {
    for (const [how, path, headers] of [
      ['?lastEventId=', '/api/mes/workspace/stream?lastEventId=99999999999999999999', {}],
      ['Last-Event-ID', '/api/mes/workspace/stream', { 'last-event-id': '99999999999999999999' }],
    ] as const) {
      test(`an id ahead of the feed (${how}) gets a reset, then the events that follow`, async () => {
        const stream = await openSse(`${platform.url}${path}`, headers);
        try {
          const hello = await stream.waitFor((e) => e.event === 'hello', 5000, 'hello');
          const reset = await stream.waitFor((e) => e.event === 'reset', 5000, 'reset');
          const watermark = (reset.data as { watermark: number }).watermark;
          assert.ok(watermark < 1e15, `reset to the feed's position, not ${watermark}`);
          assert.equal((hello.data as { watermark: number }).watermark, watermark);
          assert.equal(reset.id, String(watermark));
          const order = await placeOrder();
          const added = await stream.waitFor(
            (e) => e.event === 'added' && (e.data as { order: { id: string } }).order.id === order.id,
            20_000,
            'the new order on the stream',
          );
          assert.ok(Number(added.id) > watermark);
        } finally {
          stream.close();
        }
      });
    }
  });

  describe('MES release', () => {
    test('releasing a SHIPPED order does not advise reassigning it', async () => {
      const order = await placeOrder();
      await mesStatus(order.id, 'MANUFACTURING_APPROVED');
      const claimed = await api('POST', `/api/mes/orders/${order.id}/claim`, { json: { operator: 'olga' } });
      assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
      for (let i = 0; i < 3; i++) {
        const r = await api('POST', `/api/mes/orders/${order.id}/advance`, { json: { operator: 'olga' } });
        assert.equal(r.status, 200, JSON.stringify(r.body));
      }
      await mesStatus(order.id, 'SHIPPED');
      const body = assertError(
        await api('POST', `/api/mes/orders/${order.id}/release`, { json: {}, headers: ADMIN }),
        409,
        'ORDER_NOT_RELEASABLE',
        order.number,
        'SHIPPED',
        'left production',
      );
      assert.ok(!/reassign/i.test(body.message), body.message);
      // What the old message advised is indeed refused.
      assertError(
        await api('POST', `/api/mes/orders/${order.id}/assign`, {
          json: { operator: 'olga' },
          headers: ADMIN,
        }),
        409,
        'ORDER_NOT_ASSIGNABLE',
        'SHIPPED',
      );
    });
  });

  describe('MES release of an order that never reached production', () => {
    test('releasing a CANCELLED order says it was never approved, not that it left production', async () => {
      // The CRM loses the price, so it never approves; the MES still sees the order priced.
      await setFaults('crm', { dropEventType: 'order.price_calculated.v1' });
      let order: Order;
      try {
        order = await placeOrder();
        await mesStatus(order.id, 'PRICE_CALCULATED');
      } finally {
        await setFaults('crm', { dropEventType: null });
      }
      const cancelled = await api('POST', `/api/crm/orders/${order.id}/cancel`, {
        json: { seller: 'Sam', reason: 'customer changed their mind' },
      });
      assert.equal(cancelled.status, 200, JSON.stringify(cancelled.body));
      await mesStatus(order.id, 'CANCELLED');
      const body = assertError(
        await api('POST', `/api/mes/orders/${order.id}/release`, { json: {}, headers: ADMIN }),
        409,
        'ORDER_NOT_RELEASABLE',
        order.number,
        'CANCELLED',
        'not been approved',
      );
      assert.ok(!/left production/i.test(body.message), body.message);
    });
  });

  describe('MES ids beyond what PostgreSQL holds', () => {
    test('GET /assignments?before=9223372036854775808 is a 400, not a 500', async () => {
      assertError(
        await api('GET', '/api/mes/assignments?before=9223372036854775808'),
        400,
        'VALIDATION_FAILED',
        'querystring/before',
      );
      const largest = await api('GET', `/api/mes/assignments?before=${Number.MAX_SAFE_INTEGER}`);
      assert.equal(largest.status, 200, JSON.stringify(largest.body));
    });

    test('POST /emails/99999999999999999999/retry is a 400, not a 500', async () => {
      assertError(
        await api('POST', '/api/mes/emails/99999999999999999999/retry', { headers: ADMIN }),
        400,
        'VALIDATION_FAILED',
        'params/id',
      );
      assertError(
        await api('POST', `/api/mes/emails/${Number.MAX_SAFE_INTEGER}/retry`, { headers: ADMIN }),
        404,
        'EMAIL_NOT_FAILED',
      );
    });
  });
});
