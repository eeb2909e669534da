import { randomInt } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors, ListQuery, listOf, OrderStatusSchema, OrderView } from '../../contracts/api.js';
import { eventTypeFor } from '../../contracts/events.js';
import { nextStatuses, type OrderStatus } from '../../contracts/order-status.js';
import type { Queryable } from '../../platform/db/types.js';
import { OrderNotFoundError } from '../../platform/http/errors.js';
import { readHistory, recordTransition } from '../../platform/orders/history.js';
import { toOrderView } from '../../platform/orders/view.js';
import { assignQueued } from '../assignment/assigner.js';
import { audit } from '../assignment/audit.js';
import type { MesDeps } from '../deps.js';
import {
  AlreadyClaimedError,
  NotInProductionError,
  NotInQueueError,
  NotYoursError,
  NoModelError,
  QueueEmptyError,
} from '../errors.js';
import { operatorForWork, requireSkills } from '../operators/guard.js';
import * as store from '../store.js';
import { listWorkspace } from '../workspace/query.js';
import { ON_HAND_STATUSES } from '../workspace/statuses.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const OperatorBody = Type.Object(
  {
    operator: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'The registered operator doing the work (their id)',
    }),
  },
  { additionalProperties: false },
);
const IN_PRODUCTION: OrderStatus[] = ['MANUFACTURING_STARTED', 'MANUFACTURING_COMPLETED', 'PACKAGING'];

function newTrackingNumber(): string {
  return `AT${String(randomInt(0, 1e9)).padStart(9, '0')}${String(randomInt(0, 1e3)).padStart(3, '0')}`;
}

/** The production floor: the queue, claims, stage advances, the order card and its model. */
export function productionRoutes(d: MesDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const modelUrl = (row: { id: string; model_key?: string | null }) =>
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
      requiredSkills: row.required_skills,
      dueAt: row.due_at,
    });
    const { change } = d;

    /** Records MANUFACTURING_STARTED for a row the claim (or the start of an assigned order) took. */
    const started = async (q: Queryable, row: store.ProductionRow, operator: string, from: OrderStatus) => {
      await recordTransition(q, 'mes', {
        orderId: row.id,
        from,
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
          summary: 'Approved orders nobody has taken yet, oldest approval first',
          querystring: Type.Object({ ...ListQuery }),
          response: { 200: listOf(OrderView), ...errors(400) },
        },
      },
      async (req) => {
        const res = await store.queue(d.readDb, { limit: req.query.limit ?? 50, after: req.query.after });
        return { items: res.items.map(brief), nextCursor: res.nextCursor };
      },
    );

    r.post(
      '/queue/claim-next',
      {
        schema: {
          tags: ['production'],
          summary:
            'Take the next order you can make (MANUFACTURING_STARTED): overdue first, then the oldest approval',
          body: OperatorBody,
          response: { 200: OrderView, ...errors(400, 404, 409) },
        },
      },
      async (req) =>
        change(async (q) => {
          const op = await operatorForWork(q, req.body.operator);
          const row = await store.claimNext(q, op.id, op.skills);
          if (!row) throw new QueueEmptyError();
          await audit(q, { orderId: row.id, number: row.number, action: 'claim', to: op.id, actor: op.id });
          return started(q, row, op.id, 'MANUFACTURING_APPROVED');
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
          response: { 200: OrderView, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) =>
        change(async (q) => {
          const op = await operatorForWork(q, req.body.operator);
          const current = await store.getOrder(q, req.params.id);
          if (!current) throw new OrderNotFoundError(req.params.id);
          requireSkills(op, current);
          const row = await store.claim(q, req.params.id, op.id);
          if (row) {
            await audit(q, { orderId: row.id, number: row.number, action: 'claim', to: op.id, actor: op.id });
            return started(q, row, op.id, 'MANUFACTURING_APPROVED');
          }
          const now = await store.getOrder(q, req.params.id);
          // Taken by someone else and still in their hands: say who; otherwise it is simply not queued.
          if (now?.operator && now.operator !== op.id && ON_HAND_STATUSES.includes(now.status))
            throw new AlreadyClaimedError(now.number, now.operator);
          throw new NotInQueueError(current.number, now?.status ?? current.status);
        }),
    );

    r.post(
      '/orders/:id/advance',
      {
        schema: {
          tags: ['production'],
          summary:
            'Move an order of yours to its next stage: started (when it was assigned to you), completed, packaging, shipped',
          params: IdParams,
          body: OperatorBody,
          response: { 200: OrderView, ...errors(400, 403, 404, 409) },
        },
      },
      async (req) =>
        change(async (q) => {
          const row = await store.getOrder(q, req.params.id, true);
          if (!row) throw new OrderNotFoundError(req.params.id);
          const assignedToStart = row.status === 'MANUFACTURING_APPROVED' && row.operator !== null;
          if (!IN_PRODUCTION.includes(row.status) && !assignedToStart)
            throw new NotInProductionError(row.number, row.status);
          if (row.operator !== req.body.operator)
            throw new NotYoursError(row.number, row.operator ?? 'nobody');
          if (assignedToStart) {
            const claimed = await store.update(q, row.id, {
              status: 'MANUFACTURING_STARTED',
              claimed_at: new Date().toISOString(),
            });
            return started(q, claimed, req.body.operator, 'MANUFACTURING_APPROVED');
          }
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
            const shipped = await store.update(q, row.id, { status: to, tracking_number: trackingNumber });
            // The operator has room again: the assigner may give them the next order.
            await assignQueued(q);
            return view(shipped, q);
          }
          const type = eventTypeFor(to) as 'order.manufacturing_completed.v1' | 'order.packaging.v1';
          await recordTransition(q, 'mes', {
            orderId: row.id,
            from: row.status,
            type,
            payload: { ...base, operator: req.body.operator },
          });
          const fields: Record<string, unknown> = { status: to };
          if (to === 'MANUFACTURING_COMPLETED') fields.completed_at = new Date().toISOString();
          return view(await store.update(q, row.id, fields), q);
        }),
    );

    r.get(
      '/orders',
      {
        schema: {
          tags: ['production'],
          summary: 'Production orders, active and ended, newest first, by status and operator',
          querystring: Type.Object({
            status: Type.Optional(OrderStatusSchema),
            operator: Type.Optional(Type.String({ minLength: 1 })),
            ...ListQuery,
          }),
          response: { 200: listOf(OrderView), ...errors(400) },
        },
      },
      async (req) => {
        const res = await listWorkspace<store.ProductionRow>(
          d.readDb,
          {
            scope: 'all',
            ...(req.query.status ? { status: [req.query.status] } : {}),
            ...(req.query.operator ? { operator: req.query.operator } : {}),
            limit: req.query.limit ?? 50,
            ...(req.query.after ? { after: req.query.after } : {}),
          },
          '*',
        );
        return { items: res.items.map(brief), nextCursor: res.nextCursor };
      },
    );

    r.get(
      '/orders/:id',
      {
        schema: {
          tags: ['production'],
          summary: 'A production order with its price breakdown, skills, deadline and history',
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
        const bytes = await d.ctx.storage.get(row.model_key);
        return reply
          .header('content-type', 'application/octet-stream')
          .header('cache-control', 'private, max-age=3600')
          .send(bytes);
      },
    );
  };
}
