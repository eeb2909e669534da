import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { StoneRequests, errors } from '../../contracts/api.js';
import { priceFromModel } from '../domain/price.js';
import { ModelNotFoundError, QuoteNotFoundError } from '../errors.js';
import type { PricingDeps } from '../deps.js';
import * as store from '../store.js';
import { QuoteView, quoteView } from './views.js';

export const QuoteRequest = Type.Object(
  {
    modelId: Type.String({ format: 'uuid', description: 'From POST /models' }),
    alloy: Type.String({ minLength: 1, maxLength: 40 }),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    stones: Type.Optional(StoneRequests),
    requestedBy: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'customer or partner:<id>' }),
    ),
  },
  { additionalProperties: false },
);

export function quoteRoutes(d: PricingDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d.ctx;

    r.post(
      '/quotes',
      {
        schema: {
          tags: ['quotes'],
          summary: 'A binding price for a model, alloy, quantity and stones, valid until expiresAt',
          body: QuoteRequest,
          response: { 201: QuoteView, ...errors(400, 404, 422) },
        },
      },
      async (req, reply) => {
        const b = req.body;
        const model = await store.getModel(db, b.modelId);
        if (!model) throw new ModelNotFoundError(b.modelId);
        const list = await store.currentPriceList(db);
        const stones = b.stones ?? [];
        const breakdown = priceFromModel(
          model.figures,
          { alloy: b.alloy, quantity: b.quantity ?? 1, stones },
          list,
        );
        const row = await store.insertQuote(db, {
          id: uuidv7(),
          model_id: model.id,
          alloy: b.alloy,
          quantity: b.quantity ?? 1,
          stones,
          price_list_version: list.version,
          breakdown,
          total_minor: breakdown.total.amountMinor,
          currency: breakdown.total.currency,
          requested_by: b.requestedBy ?? 'customer',
          validityHours: list.quoteValidityHours,
        });
        return reply.status(201).send(quoteView(row, model.storage_key));
      },
    );

    r.get(
      '/quotes/:id',
      {
        schema: {
          tags: ['quotes'],
          summary: 'A quote with its breakdown, whether it has expired, and the order placed from it',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: QuoteView, ...errors(400, 404) },
        },
      },
      async (req) => {
        const q = await store.getQuote(db, req.params.id);
        if (!q) throw new QuoteNotFoundError(req.params.id);
        const model = await store.getModel(db, q.model_id);
        return quoteView(q, model?.storage_key ?? '');
      },
    );
  };
}
