/**
 * The CRM, the MES and the carrier endpoint refuse moves the order state machine forbids and
 * requests from the wrong person, with named codes; refused requests change nothing. Also:
 * unknown routes and bad cursors on every service, and each service's OpenAPI document.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { cubeStl } from '../../src/platform/geometry/generate.js';
import { assertError, client, CUSTOMER, type Client } from './http.js';

interface Order {
  id: string;
  number: string;
  status: string;
  approval?: 'auto' | 'manual' | null;
  awaitingApproval?: boolean;
  operator?: string | null;
  trackingNumber?: string | null;
  history: { status: string }[];
}

type Service = 'shop' | 'crm' | 'mes';

describe('CRM, MES and carrier: bad input and illegal moves', () => {
  let platform: EmbeddedPlatform;
  let api: Client;
  /** A catalog order the CRM approved by rule; this file takes it through production. */
  let made: Order;
  /** A custom order priced above the auto-approval limit: waits for a seller, untouched here. */
  let waiting: Order;
  const waitingViews = new Map<Service, Order>();

  const get = async (service: Service, id: string): Promise<Order> => {
    const r = await api<Order>('GET', `/api/${service}/orders/${id}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body;
  };
  const reach = (service: Service, id: string, status: string) =>
    eventually(
      async () => {
        const o = await get(service, id);
        return o.status === status ? o : undefined;
      },
      15_000,
      `${service} to see order ${id} ${status}`,
    );
  const shopOrder = async (body: unknown): Promise<Order> => {
    const r = await api<Order>('POST', '/api/shop/orders', { json: body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body;
  };
  const mes = (id: string, action: 'claim' | 'advance', operator: unknown) =>
    api<Order>('POST', `/api/mes/orders/${id}/${action}`, { json: { operator } });

  before(async () => {
    platform = await startEmbedded();
    api = client(platform.url);
    made = await shopOrder({ kind: 'catalog', catalogSku: 'PENDANT-CUBE-585', customer: CUSTOMER });
    assert.equal((await api('POST', `/api/shop/orders/${made.id}/submit`)).status, 200);
    // 30 mm of solid 14k gold is far above the auto-approval limit.
    waiting = await shopOrder({ kind: 'custom', alloy: 'gold-585', customer: CUSTOMER });
    assert.equal(
      (
        await api('PUT', `/api/shop/orders/${waiting.id}/model`, {
          raw: cubeStl(30),
          headers: { 'content-type': 'model/stl' },
        })
      ).status,
      200,
    );
    assert.equal((await api('POST', `/api/shop/orders/${waiting.id}/submit`)).status, 200);
    for (const s of ['shop', 'crm', 'mes'] as const) {
      await reach(s, made.id, 'MANUFACTURING_APPROVED');
      waitingViews.set(s, await reach(s, waiting.id, 'PRICE_CALCULATED'));
    }
    made = await get('crm', made.id);
    waiting = waitingViews.get('crm') as Order;
    assert.equal(made.approval, 'auto');
    assert.equal(waiting.awaitingApproval, true);
  });

  after(async () => {
    await platform?.destroy();
  });

  describe('CRM', () => {
    test('approving an order a rule already approved', async () => {
      const res = await api('POST', `/api/crm/orders/${made.id}/approve`, { json: { seller: 'Sam' } });
      assertError(
        res,
        409,
        'ORDER_NOT_AWAITING_APPROVAL',
        made.id,
        'MANUFACTURING_APPROVED',
        'not waiting for a seller',
      );
    });

    test('rejecting an order already approved for manufacturing', async () => {
      const res = await api('POST', `/api/crm/orders/${made.id}/reject`, {
        json: { seller: 'Sam', reason: 'late' },
      });
      assertError(res, 409, 'ORDER_ILLEGAL_TRANSITION', made.id, 'cannot move to REJECTED');
    });

    test('closing an order that was never shipped', async () => {
      const res = await api('POST', `/api/crm/orders/${waiting.id}/close`, { json: { seller: 'Sam' } });
      assertError(res, 409, 'ORDER_ILLEGAL_TRANSITION', 'PRICE_CALCULATED', 'cannot move to CLOSED');
    });

    test('approving or rejecting without saying who', async () => {
      assertError(
        await api('POST', `/api/crm/orders/${waiting.id}/approve`, { json: {} }),
        400,
        'VALIDATION_FAILED',
        "'seller'",
      );
      assertError(
        await api('POST', `/api/crm/orders/${waiting.id}/reject`, { json: { seller: 'Sam' } }),
        400,
        'VALIDATION_FAILED',
        "'reason'",
      );
      assertError(
        await api('POST', `/api/crm/orders/${waiting.id}/approve`, { json: { seller: 'Sam', note: 'ok' } }),
        400,
        'VALIDATION_FAILED',
        "'note'",
      );
    });

    test('an unknown order', async () => {
      const id = '01900000-0000-7000-8000-0000000000c1';
      assertError(
        await api('POST', `/api/crm/orders/${id}/approve`, { json: { seller: 'Sam' } }),
        404,
        'ORDER_NOT_FOUND',
        id,
      );
    });
  });

  describe('shop, on orders past its part', () => {
    test('cancelling an order approved for manufacturing', async () => {
      const res = await api('POST', `/api/shop/orders/${made.id}/cancel`, { json: { reason: 'too slow' } });
      assertError(res, 409, 'ORDER_ILLEGAL_TRANSITION', 'MANUFACTURING_APPROVED', 'cannot move to CANCELLED');
    });
  });

  describe('MES', () => {
    test('advancing an order nobody claimed', async () => {
      assertError(
        await mes(made.id, 'advance', 'olga'),
        409,
        'ORDER_NOT_IN_PRODUCTION',
        made.number,
        'Take it from the queue first',
      );
    });

    test('claiming an order that is not in the queue', async () => {
      assertError(
        await mes(waiting.id, 'claim', 'olga'),
        409,
        'ORDER_NOT_IN_QUEUE',
        waiting.number,
        'PRICE_CALCULATED',
      );
    });

    test('claiming or advancing without an operator', async () => {
      assertError(await mes(made.id, 'claim', ''), 400, 'VALIDATION_FAILED', 'body/operator');
      assertError(
        await api('POST', `/api/mes/orders/${made.id}/advance`, { json: {} }),
        400,
        'VALIDATION_FAILED',
        "'operator'",
      );
      assertError(
        await api('POST', '/api/mes/queue/claim-next', {
          raw: '{"operator":',
          headers: { 'content-type': 'application/json' },
        }),
        400,
        'MALFORMED_JSON',
      );
    });

    test('a second operator claiming, and advancing, an order someone else took', async () => {
      const claimed = await mes(made.id, 'claim', 'olga');
      assert.equal(claimed.status, 200, JSON.stringify(claimed.body));
      assert.equal(claimed.body.status, 'MANUFACTURING_STARTED');
      assertError(await mes(made.id, 'claim', 'eli'), 409, 'ORDER_ALREADY_CLAIMED', made.number, 'olga');
      assertError(
        await mes(made.id, 'advance', 'eli'),
        403,
        'ORDER_NOT_YOURS',
        made.number,
        'olga',
        'only that operator',
      );
      assert.equal((await get('mes', made.id)).status, 'MANUFACTURING_STARTED');
    });

    test('the queue is empty now', async () => {
      assertError(
        await api('POST', '/api/mes/queue/claim-next', { json: { operator: 'eli' } }),
        404,
        'QUEUE_EMPTY',
        'queue',
      );
    });

    test('advancing past SHIPPED', async () => {
      for (const next of ['MANUFACTURING_COMPLETED', 'PACKAGING', 'SHIPPED']) {
        const r = await mes(made.id, 'advance', 'olga');
        assert.equal(r.status, 200, JSON.stringify(r.body));
        assert.equal(r.body.status, next);
      }
      assertError(
        await mes(made.id, 'advance', 'olga'),
        409,
        'ORDER_NOT_IN_PRODUCTION',
        made.number,
        'SHIPPED',
      );
    });

    test('an unknown order', async () => {
      const id = '01900000-0000-7000-8000-0000000000e1';
      assertError(await mes(id, 'advance', 'olga'), 404, 'ORDER_NOT_FOUND', id);
    });
  });

  describe('carrier', () => {
    let tracking: string;
    const deliver = (body: unknown, token?: string) =>
      api<Order>('POST', '/api/crm/carrier/deliveries', {
        json: body,
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });

    before(async () => {
      tracking = (await reach('crm', made.id, 'SHIPPED')).trackingNumber as string;
      assert.ok(tracking);
    });

    test('without a token, or with someone else’s', async () => {
      for (const token of [undefined, 'atelier-admin', 'demo-partner-key']) {
        assertError(
          await deliver({ trackingNumber: tracking }, token),
          401,
          'UNAUTHORIZED',
          'carrier',
          'Authorization: Bearer',
        );
      }
      assert.equal((await get('crm', made.id)).status, 'SHIPPED');
    });

    test('an unknown tracking number', async () => {
      assertError(
        await deliver({ trackingNumber: 'AT000000000000' }, 'atelier-carrier'),
        404,
        'SHIPMENT_UNKNOWN',
        'AT000000000000',
      );
    });

    test('a bad body', async () => {
      assertError(await deliver({}, 'atelier-carrier'), 400, 'VALIDATION_FAILED', "'trackingNumber'");
      assertError(
        await deliver({ trackingNumber: tracking, deliveredAt: 'yesterday' }, 'atelier-carrier'),
        400,
        'VALIDATION_FAILED',
        'body/deliveredAt',
      );
    });

    test('a delivery closes the order; repeating it is harmless', async () => {
      const first = await deliver({ trackingNumber: tracking }, 'atelier-carrier');
      assert.equal(first.status, 200, JSON.stringify(first.body));
      assert.equal(first.body.status, 'CLOSED');
      const again = await deliver({ trackingNumber: tracking }, 'atelier-carrier');
      assert.equal(again.status, 200);
      assert.deepEqual(again.body, first.body);
    });
  });

  describe('a CLOSED order', () => {
    let closed: Map<Service, Order>;
    before(async () => {
      closed = new Map();
      // The MES mirrors order.closed too, so every service's view ends at CLOSED.
      for (const s of ['shop', 'crm', 'mes'] as const) closed.set(s, await reach(s, made.id, 'CLOSED'));
    });

    test('cannot be cancelled, rejected, closed again, approved, claimed or submitted', async () => {
      assertError(
        await api('POST', `/api/shop/orders/${made.id}/cancel`, { json: { reason: 'never arrived' } }),
        409,
        'ORDER_ILLEGAL_TRANSITION',
        'CLOSED is final',
      );
      assertError(
        await api('POST', `/api/shop/orders/${made.id}/submit`),
        409,
        'ORDER_ILLEGAL_TRANSITION',
        'CLOSED is final',
      );
      assertError(
        await api('POST', `/api/crm/orders/${made.id}/reject`, { json: { seller: 'Sam', reason: 'x' } }),
        409,
        'ORDER_ILLEGAL_TRANSITION',
        'CLOSED is final',
      );
      assertError(
        await api('POST', `/api/crm/orders/${made.id}/close`, { json: { seller: 'Sam' } }),
        409,
        'ORDER_ILLEGAL_TRANSITION',
        'CLOSED is final',
      );
      assertError(
        await api('POST', `/api/crm/orders/${made.id}/approve`, { json: { seller: 'Sam' } }),
        409,
        'ORDER_NOT_AWAITING_APPROVAL',
        'CLOSED',
      );
      assertError(await mes(made.id, 'claim', 'eli'), 409, 'ORDER_NOT_IN_QUEUE', 'CLOSED');
      assertError(await mes(made.id, 'advance', 'olga'), 409, 'ORDER_NOT_IN_PRODUCTION', 'CLOSED');
    });

    test('is unchanged in every service afterwards', async () => {
      for (const [s, view] of closed) assert.deepEqual(await get(s, made.id), view, s);
      assert.deepEqual(
        (closed.get('shop') as Order).history.map((h) => h.status),
        [
          'INITIATED',
          'SUBMITTED',
          'PRICE_CALCULATED',
          'MANUFACTURING_APPROVED',
          'MANUFACTURING_STARTED',
          'MANUFACTURING_COMPLETED',
          'PACKAGING',
          'SHIPPED',
          'CLOSED',
        ],
      );
    });
  });

  describe('cancelling after submission', () => {
    test('the shop refuses it: from then on the CRM decides', async () => {
      const o = await shopOrder({
        kind: 'catalog',
        catalogSku: 'RING-TORUS-585',
        customer: CUSTOMER,
        submit: true,
      });
      assertError(
        await api('POST', `/api/shop/orders/${o.id}/cancel`, { json: { reason: 'changed my mind' } }),
        409,
        'ORDER_ILLEGAL_TRANSITION',
        'The shop service does not own',
      );
    });

    test('the CRM cancels an order waiting for approval, and every service follows', async () => {
      const o = await shopOrder({ kind: 'custom', alloy: 'gold-585', customer: CUSTOMER });
      await api('PUT', `/api/shop/orders/${o.id}/model`, {
        raw: cubeStl(30),
        headers: { 'content-type': 'model/stl' },
      });
      await api('POST', `/api/shop/orders/${o.id}/submit`);
      await reach('crm', o.id, 'PRICE_CALCULATED');
      const r = await api<Order>('POST', `/api/crm/orders/${o.id}/cancel`, {
        json: { seller: 'Sam', reason: 'customer called' },
      });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body.status, 'CANCELLED');
      await reach('shop', o.id, 'CANCELLED');
      await reach('mes', o.id, 'CANCELLED');
      assertError(await mes(o.id, 'claim', 'eli'), 409, 'ORDER_NOT_IN_QUEUE', 'CANCELLED');
    });

    test('nobody cancels an order approved for manufacturing', async () => {
      assertError(
        await api('POST', `/api/crm/orders/${made.id}/cancel`, {
          json: { seller: 'Sam', reason: 'too late' },
        }),
        409,
        'ORDER_ILLEGAL_TRANSITION',
      );
    });
  });

  describe('every service', () => {
    const lists = ['/api/shop/orders', '/api/crm/orders', '/api/mes/orders', '/api/mes/queue'];

    test('refuses a cursor it never returned', async () => {
      for (const path of lists) {
        for (const after of ['garbage', Buffer.from('["yesterday","x"]').toString('base64url')]) {
          assertError(
            await api('GET', `${path}?after=${after}`),
            400,
            'CURSOR_INVALID',
            '`after`',
            'without it',
          );
        }
      }
    });

    test('answers an unknown route with ROUTE_NOT_FOUND', async () => {
      for (const path of [
        '/api/shop/nope',
        '/api/crm/approvals',
        '/api/mes/orders/x/y/z',
        '/api/billing/invoices',
      ]) {
        assertError(
          await api('GET', path),
          404,
          'ROUTE_NOT_FOUND',
          `GET ${path}`,
          '/api/<service>/openapi.json',
        );
      }
      assertError(
        await api('PATCH', `/api/crm/orders/${made.id}`, { json: {} }),
        404,
        'ROUTE_NOT_FOUND',
        'PATCH',
      );
    });

    const expected: Record<string, Record<string, string[]>> = {
      shop: {
        '/api/shop/catalog': ['get'],
        '/api/shop/alloys': ['get'],
        '/api/shop/orders': ['get', 'post'],
        '/api/shop/orders/{id}': ['get'],
        '/api/shop/orders/{id}/model': ['put'],
        '/api/shop/orders/{id}/submit': ['post'],
        '/api/shop/orders/{id}/cancel': ['post'],
        '/api/shop/health': ['get'],
      },
      partner: {
        '/api/partner/v1/orders': ['get', 'post'],
        '/api/partner/v1/orders/{id}': ['get'],
        '/api/partner/admin/partners': ['post'],
        '/api/partner/health': ['get'],
      },
      crm: {
        '/api/crm/orders': ['get'],
        '/api/crm/orders/{id}': ['get'],
        '/api/crm/orders/{id}/approve': ['post'],
        '/api/crm/orders/{id}/reject': ['post'],
        '/api/crm/orders/{id}/close': ['post'],
        '/api/crm/carrier/deliveries': ['post'],
        '/api/crm/approval-rules': ['get'],
      },
      mes: {
        '/api/mes/queue': ['get'],
        '/api/mes/queue/claim-next': ['post'],
        '/api/mes/orders': ['get'],
        '/api/mes/orders/{id}': ['get'],
        '/api/mes/orders/{id}/claim': ['post'],
        '/api/mes/orders/{id}/advance': ['post'],
      },
    };
    for (const [service, routes] of Object.entries(expected)) {
      test(`${service}: GET /api/${service}/openapi.json is an OpenAPI 3 document of its routes`, async () => {
        const r = await api<OpenApi>('GET', `/api/${service}/openapi.json`);
        assert.equal(r.status, 200);
        checkOpenApi(r.body, `/api/${service}/`);
        for (const [path, methods] of Object.entries(routes)) {
          const item = r.body.paths[path];
          assert.ok(item, `${path} missing from ${Object.keys(r.body.paths).join(', ')}`);
          for (const m of methods) assert.ok(item[m], `${m.toUpperCase()} ${path} missing`);
        }
      });
    }
  });

  test('redelivering an event to a consumer that does not exist is refused, naming the ones that do', async () => {
    const admin = { authorization: 'Bearer atelier-admin' };
    // A typo, and a name every JavaScript object has (not a consumer either).
    for (const consumer of ['sohp', 'constructor']) {
      const wrong = await api('POST', `/api/shop/outbox/${crypto.randomUUID()}/redeliver`, {
        json: { consumer },
        headers: admin,
      });
      assertError(wrong, 400, 'UNKNOWN_CONSUMER', `"${consumer}"`, 'shop, partner-api, crm, mes, tracker');
    }
    // A consumer that exists gets past the check to the event lookup.
    const real = await api('POST', `/api/shop/outbox/${crypto.randomUUID()}/redeliver`, {
      json: { consumer: 'crm' },
      headers: admin,
    });
    assertError(real, 404, 'OUTBOX_EVENT_NOT_FOUND');
  });

  test('after all of the above, the order waiting for a seller is intact in every service', async () => {
    for (const [s, view] of waitingViews) assert.deepEqual(await get(s, waiting.id), view, s);
    assert.deepEqual(
      waiting.history.map((h) => h.status),
      ['SUBMITTED', 'PRICE_CALCULATED'],
    );
    assert.equal(waiting.awaitingApproval, true);
  });
});

interface Operation {
  responses?: Record<string, unknown>;
  parameters?: { name: string; in: string; required?: boolean }[];
  security?: Record<string, unknown>[];
}
interface OpenApi {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { securitySchemes?: Record<string, unknown> };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/**
 * The structural rules of OpenAPI 3.0 the clients rely on: version and info, paths under the
 * service's prefix, every operation with responses, every {param} declared as a required path
 * parameter, security schemes that exist, and every local $ref resolving.
 */
function checkOpenApi(doc: OpenApi, prefix: string): void {
  assert.match(doc.openapi, /^3\.\d+\.\d+$/);
  assert.equal(typeof doc.info?.title, 'string');
  assert.equal(typeof doc.info?.version, 'string');
  const paths = Object.keys(doc.paths ?? {});
  assert.ok(paths.length > 0, 'no paths');
  for (const path of paths) {
    assert.ok(path.startsWith(prefix), `${path} outside ${prefix}`);
    assert.ok(!path.includes(':'), `${path} uses :param instead of {param}`);
    const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    for (const [method, op] of Object.entries(doc.paths[path] ?? {})) {
      if (!METHODS.includes(method)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      assert.ok(op.responses && Object.keys(op.responses).length > 0, `${where} has no responses`);
      for (const name of templated) {
        const p = op.parameters?.find((x) => x.in === 'path' && x.name === name);
        assert.ok(p?.required, `${where} does not declare path parameter ${name}`);
      }
      for (const req of op.security ?? []) {
        for (const scheme of Object.keys(req)) {
          assert.ok(
            doc.components?.securitySchemes?.[scheme],
            `${where} uses unknown security scheme ${scheme}`,
          );
        }
      }
    }
  }
  const refs: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') refs.push(x);
        else walk(x);
      }
    }
  };
  walk(doc);
  for (const ref of refs) {
    assert.ok(ref.startsWith('#/'), `non-local $ref ${ref}`);
    let node: unknown = doc;
    for (const part of ref.slice(2).split('/')) {
      node = (node as Record<string, unknown> | undefined)?.[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    }
    assert.ok(node, `$ref ${ref} does not resolve`);
  }
}
