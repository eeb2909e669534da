import { randomInt } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors, ListQuery, listOf, OrderStatusSchema, OrderView } from '../contracts/api.js';
import { eventTypeFor } from '../contracts/events.js';
import { nextStatuses, type OrderStatus } from '../contracts/order-status.js';
import type { Queryable } from '../platform/db/types.js';
import { OrderNotFoundError } from '../platform/http/errors.js';
import { readHistory, recordTransition } from '../platform/orders/history.js';
import { toOrderView } from '../platform/orders/view.js';
import type { ServiceContext } from '../platform/service.js';
import {
  AlreadyClaimedError,
  NotInProductionError,
  NotInQueueError,
  NotYoursError,
  NoModelError,
  QueueEmptyError,
} from './errors.js';
import * as store from './store.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OperatorBody = Type.Object(
  { operator: Type.String({ minLength: 1, maxLength: 200, description: 'The operator doing the work' }) },
  { additionalProperties: false },
);
const IN_PRODUCTION: OrderStatus[] = ['MANUFACTURING_STARTED', 'MANUFACTURING_COMPLETED', 'PACKAGING'];

function newTrackingNumber(): string {
  return `AT${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e3)).padStart(3, '0')}`;
}

export function mesRoutes(ctx: ServiceContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = ctx;
    const modelUrl = (row: store.ProductionRow) =>
      row.model_key ? { modelUrl: `/api/mes/orders/${row.id}/model` } : {};
    const brief = (row: store.ProductionRow) => ({
      ...toOrderView(row),
      ...modelUrl(row),
      operator: row.operator,
    });
    const view = async (row: store.ProductionRow, q: Queryable = db) => ({
      ...toOrderView(row, await readHistory(q, row.id)),
      ...modelUrl(row),
      operator: row.operator,
    });

    /** Records MANUFACTURING_STARTED for a row the claim statement just took. */
    const started = async (q: Queryable, row: store.ProductionRow, operator: string) => {
      await recordTransition(q, 'mes', {
        orderId: row.id,
        from: 'MANUFACTURING_APPROVED',
        type: 'order.manufacturing_started.v1',
        payload: {
          orderId: row.id,
          orderNumber: row.number,
          channel: row.channel,
          actor: `operator:${operator}`,
          operator,
        },
      });
      return view(row, q);
    };

    r.get(
      '/queue',
      {
        schema: {
          tags: ['production'],
          summary: 'Approved orders waiting for an operator, oldest approval first',
          querystring: Type.Object({ ...ListQuery }),
          response: { 200: listOf(OrderView), ...errors(400) },
        },
      },
      async (req) => {
        const res = await store.queue(db, { limit: req.query.limit ?? 50, after: req.query.after });
        return { items: res.items.map(brief), nextCursor: res.nextCursor };
      },
    );

    r.post(
      '/queue/claim-next',
      {
        schema: {
          tags: ['production'],
          summary: 'Take the oldest waiting order (MANUFACTURING_STARTED)',
          body: OperatorBody,
          response: { 200: OrderView, ...errors(400, 404) },
        },
      },
      async (req) =>
        db.tx(async (q) => {
          const row = await store.claimNext(q, req.body.operator);
          if (!row) throw new QueueEmptyError();
          return started(q, row, req.body.operator);
        }),
    );

    r.post(
      '/orders/:id/claim',
      {
        schema: {
          tags: ['production'],
          summary: 'Take one order from the queue (MANUFACTURING_STARTED); of two operators only one wins',
          params: IdParams,
          body: OperatorBody,
          response: { 200: OrderView, ...errors(400, 404, 409) },
        },
      },
      async (req) =>
        db.tx(async (q) => {
          const row = await store.claim(q, req.params.id, req.body.operator);
          if (row) return started(q, row, req.body.operator);
          const current = await store.getOrder(q, req.params.id);
          if (!current) throw new OrderNotFoundError(req.params.id);
          if (current.status === 'MANUFACTURING_STARTED' && current.operator) {
            throw new AlreadyClaimedError(current.number, current.operator);
          }
          throw new NotInQueueError(current.number, current.status);
        }),
    );

    r.post(
      '/orders/:id/advance',
      {
        schema: {
          tags: ['production'],
          summary: 'Move an order you are making to its next stage: completed, packaging, shipped',
          params: IdParams,
          body: OperatorBody,
          response: { 200: OrderView, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) =>
        db.tx(async (q) => {
          const row = await store.getOrder(q, req.params.id, true);
          if (!row) throw new OrderNotFoundError(req.params.id);
          if (!IN_PRODUCTION.includes(row.status)) throw new NotInProductionError(row.number, row.status);
          if (row.operator !== req.body.operator)
            throw new NotYoursError(row.number, row.operator ?? 'nobody');
          const to = nextStatuses(row.status, 'mes')[0] as OrderStatus;
          const base = {
            orderId: row.id,
            orderNumber: row.number,
            channel: row.channel,
            actor: `operator:${req.body.operator}`,
          };
          if (to === 'SHIPPED') {
            const trackingNumber = newTrackingNumber();
            await recordTransition(q, 'mes', {
              orderId: row.id,
              from: row.status,
              type: 'order.shipped.v1',
              payload: { ...base, trackingNumber },
            });
            return view(await store.update(q, row.id, { status: to, tracking_number: trackingNumber }), q);
          }
          const type = eventTypeFor(to) as 'order.manufacturing_completed.v1' | 'order.packaging.v1';
          await recordTransition(q, 'mes', {
            orderId: row.id,
            from: row.status,
            type,
            payload: { ...base, operator: req.body.operator },
          });
          return view(await store.update(q, row.id, { status: to }), q);
        }),
    );

    r.get(
      '/orders',
      {
        schema: {
          tags: ['production'],
          summary: 'Production orders, newest first, by status and operator',
          querystring: Type.Object({
            status: Type.Optional(OrderStatusSchema),
            operator: Type.Optional(Type.String({ minLength: 1 })),
            ...ListQuery,
          }),
          response: { 200: listOf(OrderView), ...errors(400) },
        },
      },
      async (req) => {
        const res = await store.listOrders(db, { ...req.query, limit: req.query.limit ?? 50 });
        return { items: res.items.map(brief), nextCursor: res.nextCursor };
      },
    );

    r.get(
      '/orders/:id',
      {
        schema: {
          tags: ['production'],
          summary: 'A production order with its price breakdown and history',
          params: IdParams,
          response: { 200: OrderView, ...errors(404) },
        },
      },
      async (req) => {
        const row = await store.getOrder(db, req.params.id);
        if (!row) throw new OrderNotFoundError(req.params.id);
        return view(row);
      },
    );

    r.get(
      '/orders/:id/model',
      {
        schema: {
          tags: ['production'],
          summary: "The order's 3D model file, for the operator's preview",
          params: IdParams,
          produces: ['application/octet-stream'],
          response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errors(404) },
        },
      },
      async (req, reply) => {
        const row = await store.getOrder(db, req.params.id);
        if (!row) throw new OrderNotFoundError(req.params.id);
        if (!row.model_key) throw new NoModelError(row.id);
        const bytes = await ctx.storage.get(row.model_key);
        return reply
          .header('content-type', 'application/octet-stream')
          .header('cache-control', 'private, max-age=3600')
          .send(bytes);
      },
    );
  };
}
