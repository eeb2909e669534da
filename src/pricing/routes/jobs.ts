import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors } from '../../contracts/api.js';
import { PriceBreakdown } from '../../contracts/events.js';
import { requireToken } from '../../platform/http/auth.js';
import { JobNotFailedError, JobNotFoundError } from '../errors.js';
import type { PricingDeps } from '../deps.js';
import { recordOutcome } from '../handlers.js';
import type { PriceRequest } from '../price-order.js';
import * as store from '../store.js';

const JobView = Type.Object({
  orderId: Type.String(),
  orderNumber: Type.String(),
  channel: Type.String(),
  status: Type.String({
    description: 'priced, rejected, failed, or closed (failed, then the order was cancelled or rejected)',
  }),
  attempts: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  breakdown: Type.Union([PriceBreakdown, Type.Null()]),
  stageMs: Type.Union([Type.Record(Type.String(), Type.Number()), Type.Null()]),
  updatedAt: Type.String(),
});

const jobView = (j: store.JobRow) => ({
  orderId: j.order_id,
  orderNumber: j.order_number,
  channel: j.channel,
  status: j.status,
  attempts: j.attempts,
  reason: j.reason,
  breakdown: j.breakdown,
  stageMs: j.stage_ms,
  updatedAt: j.updated_at,
});

const OrderParams = Type.Object({ orderId: Type.String({ format: 'uuid' }) });

export function jobRoutes(d: PricingDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db, config } = d.ctx;

    r.get(
      '/jobs',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Orders whose pricing failed after its retries, oldest first: they wait for staff',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }),
          response: { 200: Type.Object({ items: Type.Array(JobView) }) },
        },
      },
      async (req) => ({ items: (await store.failedJobs(db, req.query.limit ?? 50)).map(jobView) }),
    );

    r.get(
      '/jobs/:orderId',
      {
        schema: {
          tags: ['jobs'],
          summary: "How an order's pricing went: result, tries, time per stage",
          params: OrderParams,
          response: { 200: JobView, ...errors(400, 404) },
        },
      },
      async (req) => {
        const j = await store.getJob(db, req.params.orderId);
        if (!j) throw new JobNotFoundError(req.params.orderId);
        return jobView(j);
      },
    );

    r.post(
      '/jobs/:orderId/retry',
      {
        schema: {
          tags: ['jobs'],
          summary: 'Price a failed order again (administrator): PRICING_FAILED → PRICE_CALCULATED',
          security: [{ bearer: [] }],
          params: OrderParams,
          response: { 200: JobView, ...errors(400, 401, 404, 409) },
        },
      },
      async (req) => {
        requireToken(req, config.ADMIN_TOKEN, 'administrator');
        const { orderId } = req.params;
        const job = await store.getJob(db, orderId);
        if (!job) throw new JobNotFoundError(orderId);
        if (job.status !== 'failed') throw new JobNotFailedError(orderId, job.status);
        const request = job.payload as PriceRequest;
        const outcome = await d.price(orderId, request);
        return db.tx(async (q) => {
          // Row lock: of two retries at once, the second finds the job no longer failed.
          const locked = (
            await q.query<store.JobRow>('SELECT * FROM price_jobs WHERE order_id = $1 FOR UPDATE', [orderId])
          ).rows[0];
          if (locked?.status !== 'failed') throw new JobNotFailedError(orderId, locked?.status ?? 'gone');
          await recordOutcome(
            q,
            {
              orderId,
              orderNumber: job.order_number,
              channel: job.channel as 'b2c' | 'b2b',
              from: 'PRICING_FAILED',
            },
            request,
            outcome,
          );
          return jobView((await store.getJob(q, orderId)) as store.JobRow);
        });
      },
    );
  };
}
