import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors, ListQuery, listOf, OrderStatusSchema, OrderView } from '../contracts/api.js';
import { Money } from '../contracts/events.js';
import type { Queryable } from '../platform/db/types.js';
import { requireToken } from '../platform/http/auth.js';
import { OrderNotFoundError } from '../platform/http/errors.js';
import { readHistory, recordTransition } from '../platform/orders/history.js';
import { toOrderView } from '../platform/orders/view.js';
import type { ServiceContext } from '../platform/service.js';
import type { ApprovalRules } from './domain/approval.js';
import { NotAwaitingApprovalError, UnknownShipmentError } from './errors.js';
import * as store from './store.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Seller = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'Who decides (shown in the order history)',
});

export function crmRoutes(ctx: ServiceContext, rules: ApprovalRules) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = ctx;
    const view = async (row: store.CrmRow, q: Queryable = db) => ({
      ...toOrderView(row, await readHistory(q, row.id)),
      approval: row.approval,
      awaitingApproval: row.awaiting_approval,
    });
    const locked = async (q: Queryable, id: string) => {
      const row = await store.getOrder(q, id, true);
      if (!row) throw new OrderNotFoundError(id);
      return row;
    };

    r.get(
      '/orders',
      {
        schema: {
          tags: ['orders'],
          summary: 'Every order; `awaitingApproval=true` lists those waiting for a seller, oldest first',
          querystring: Type.Object({
            status: Type.Optional(OrderStatusSchema),
            awaitingApproval: Type.Optional(Type.Boolean()),
            channel: Type.Optional(Type.Union([Type.Literal('b2c'), Type.Literal('b2b')])),
            ...ListQuery,
          }),
          response: { 200: listOf(OrderView), ...errors(400) },
        },
      },
      async (req) => {
        const res = await store.listOrders(db, { ...req.query, limit: req.query.limit ?? 50 });
        return {
          items: res.items.map((o) => ({
            ...toOrderView(o),
            approval: o.approval,
            awaitingApproval: o.awaiting_approval,
          })),
          nextCursor: res.nextCursor,
        };
      },
    );

    r.get(
      '/orders/:id',
      {
        schema: {
          tags: ['orders'],
          summary: 'One order with its history',
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

    r.post(
      '/orders/:id/approve',
      {
        schema: {
          tags: ['approval'],
          summary: 'Approve manufacturing of an order no rule approved (MANUFACTURING_APPROVED)',
          params: IdParams,
          body: Type.Object({ seller: Seller }, { additionalProperties: false }),
          response: { 200: OrderView, ...errors(400, 404, 409) },
        },
      },
      async (req) =>
        db.tx(async (q) => {
          const row = await locked(q, req.params.id);
          if (!row.awaiting_approval) throw new NotAwaitingApprovalError(row.id, row.status);
          await recordTransition(q, 'crm', {
            orderId: row.id,
            from: row.status,
            type: 'order.manufacturing_approved.v1',
            payload: {
              orderId: row.id,
              orderNumber: row.number,
              channel: row.channel,
              actor: `seller:${req.body.seller}`,
              approval: 'manual',
            },
          });
          const updated = await store.update(q, row.id, {
            status: 'MANUFACTURING_APPROVED',
            approval: 'manual',
            approved_by: req.body.seller,
            awaiting_approval: false,
          });
          return view(updated, q);
        }),
    );

    /** Rejecting and cancelling both stop an order before manufacturing, with a seller's reason. */
    const stopRoutes = [
      {
        path: 'reject',
        type: 'order.rejected.v1',
        status: 'REJECTED',
        summary: 'Reject an order before manufacturing (REJECTED)',
      },
      {
        path: 'cancel',
        type: 'order.cancelled.v1',
        status: 'CANCELLED',
        summary: 'Cancel a submitted order before it is approved for manufacturing (CANCELLED)',
      },
    ] as const;
    for (const stop of stopRoutes) {
      r.post(
        `/orders/:id/${stop.path}`,
        {
          schema: {
            tags: ['approval'],
            summary: stop.summary,
            params: IdParams,
            body: Type.Object(
              { seller: Seller, reason: Type.String({ minLength: 1, maxLength: 1000 }) },
              { additionalProperties: false },
            ),
            response: { 200: OrderView, ...errors(400, 404, 409) },
          },
        },
        async (req) =>
          db.tx(async (q) => {
            const row = await locked(q, req.params.id);
            await recordTransition(q, 'crm', {
              orderId: row.id,
              from: row.status,
              type: stop.type,
              payload: {
                orderId: row.id,
                orderNumber: row.number,
                channel: row.channel,
                actor: `seller:${req.body.seller}`,
                reason: req.body.reason,
              },
            });
            const updated = await store.update(q, row.id, {
              status: stop.status,
              awaiting_approval: false,
              rejection_reason: req.body.reason,
            });
            return view(updated, q);
          }),
      );
    }

    const close = async (
      q: Queryable,
      row: store.CrmRow,
      actor: string,
      how: 'carrier' | 'manual',
      deliveredAt?: string,
    ) => {
      await recordTransition(q, 'crm', {
        ...(deliveredAt ? { details: { deliveredAt } } : {}),
        orderId: row.id,
        from: row.status,
        type: 'order.closed.v1',
        payload: { orderId: row.id, orderNumber: row.number, channel: row.channel, actor, how },
      });
      return view(await store.update(q, row.id, { status: 'CLOSED' }), q);
    };

    r.post(
      '/orders/:id/close',
      {
        schema: {
          tags: ['delivery'],
          summary: 'Close a shipped order by hand, e.g. the customer confirmed receipt (CLOSED)',
          params: IdParams,
          body: Type.Object({ seller: Seller }, { additionalProperties: false }),
          response: { 200: OrderView, ...errors(400, 404, 409) },
        },
      },
      async (req) =>
        db.tx(async (q) => close(q, await locked(q, req.params.id), `seller:${req.body.seller}`, 'manual')),
    );

    r.post(
      '/carrier/deliveries',
      {
        schema: {
          tags: ['delivery'],
          summary: 'The carrier confirms a delivery (CLOSED). Repeating a confirmation is harmless.',
          security: [{ bearer: [] }],
          body: Type.Object(
            {
              trackingNumber: Type.String({ minLength: 1, maxLength: 100 }),
              deliveredAt: Type.Optional(Type.String({ format: 'date-time' })),
            },
            { additionalProperties: false },
          ),
          response: { 200: OrderView, ...errors(400, 401, 404, 409) },
        },
      },
      async (req) => {
        requireToken(req, ctx.config.CARRIER_TOKEN, 'carrier');
        return db.tx(async (q) => {
          const row = await store.byTrackingNumber(q, req.body.trackingNumber);
          if (!row) throw new UnknownShipmentError(req.body.trackingNumber);
          if (row.status === 'CLOSED') return view(row, q);
          return close(q, row, 'carrier', 'carrier', req.body.deliveredAt);
        });
      },
    );

    r.get(
      '/approval-rules',
      {
        schema: {
          tags: ['approval'],
          summary: 'The rules that approve orders without a seller',
          response: {
            200: Type.Object({ autoApproveCatalog: Type.Boolean(), autoApproveCustomBelow: Money }),
          },
        },
      },
      async () => ({
        autoApproveCatalog: rules.autoApproveCatalog,
        autoApproveCustomBelow: { amountMinor: rules.autoApproveCustomBelowMinor, currency: rules.currency },
      }),
    );
  };
}
