import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import {
  AlloySchema,
  Customer,
  errors,
  ListQuery,
  listOf,
  OrderStatusSchema,
  OrderView,
  StoneRequests,
} from '../contracts/api.js';
import { parseStl } from '../platform/geometry/stl.js';
import { bearerToken, requireToken } from '../platform/http/auth.js';
import { OrderNotFoundError } from '../platform/http/errors.js';
import { readHistory, recordTransition } from '../platform/orders/history.js';
import { toOrderView, type OrderRow } from '../platform/orders/view.js';
import { isUniqueViolation } from '../platform/db/errors.js';
import { together } from '../platform/db/together.js';
import type { Queryable } from '../platform/db/types.js';
import type { ServiceContext } from '../platform/service.js';
import {
  IdempotencyKeyRequiredError,
  IdempotencyKeyReusedError,
  InvalidApiKeyError,
  MissingApiKeyError,
  ModelEncodingError,
} from './errors.js';
import { requestHash } from './keys.js';
import * as store from './store.js';
import {
  assertOrderMatchesQuote,
  orderableQuote,
  quoteUsedError,
  requestQuote,
} from '../platform/http/quote-client.js';
import { FieldRequiredError } from '../platform/http/errors.js';
import { markPartner } from '../platform/telemetry/http-metrics.js';

const CreateOrder = Type.Object(
  {
    reference: Type.Optional(
      Type.String({ maxLength: 200, description: "The partner's own order reference" }),
    ),
    alloy: Type.Optional(AlloySchema),
    // No schema default: an order from a quote must tell "not sent" from "1" (the code uses 1).
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Pieces (default 1)' })),
    customer: Customer,
    quoteId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Order a quote from POST /v1/quotes at its price, instead of sending model and alloy',
      }),
    ),
    model: Type.Optional(
      Type.Object(
        {
          filename: Type.String({ minLength: 1, maxLength: 255 }),
          contentBase64: Type.String({
            minLength: 1,
            description: 'The STL file (binary or ASCII), base64-encoded',
          }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const QuoteBody = Type.Object(
  {
    alloy: AlloySchema,
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    stones: Type.Optional(StoneRequests),
    model: Type.Object(
      {
        filename: Type.String({ minLength: 1, maxLength: 255 }),
        contentBase64: Type.String({
          minLength: 1,
          description: 'The model file (STL or OBJ), base64-encoded',
        }),
        units: Type.Optional(Type.String({ description: 'mm (default), cm, m or in' })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeModel(b64: string): Buffer {
  const clean = b64.replace(/\s+/g, '');
  if (clean.length % 4 !== 0 || !BASE64.test(clean)) throw new ModelEncodingError();
  return Buffer.from(clean, 'base64');
}

export function partnerRoutes(ctx: ServiceContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = ctx;
    const view = async (row: OrderRow, q: Queryable = db) => toOrderView(row, await readHistory(q, row.id));

    const authenticate = async (req: FastifyRequest) => {
      const key = bearerToken(req);
      // No key at all is told apart from a wrong one: the fix is the header, not another key.
      if (!key) throw new MissingApiKeyError();
      const partner = await store.partnerByKey(db, key);
      if (!partner) throw new InvalidApiKeyError();
      markPartner(req, partner.id);
      return partner;
    };

    /** The order an earlier request with this key created, or an error if the body differs. */
    const replay = async (partnerId: string, key: string, hash: string) => {
      const prior = await store.findIdempotent(db, partnerId, key);
      if (!prior) return undefined;
      if (prior.request_hash !== hash) throw new IdempotencyKeyReusedError(key, prior.order_id);
      const order = await store.getOrder(db, partnerId, prior.order_id);
      return order && view(order);
    };

    r.post(
      '/v1/orders',
      {
        bodyLimit: Math.ceil((ctx.config.MODEL_MAX_BYTES * 4) / 3) + 64 * 1024,
        schema: {
          tags: ['orders'],
          summary: 'Place an order with its 3D model (SUBMITTED)',
          description:
            'Needs an Idempotency-Key header: repeating a request with the same key and body returns the same order (200) instead of creating another.',
          security: [{ bearer: [] }],
          body: CreateOrder,
          response: { 200: OrderView, 201: OrderView, ...errors(400, 401, 409, 413, 422, 503) },
        },
      },
      async (req, reply) => {
        const partner = await authenticate(req);
        const key = req.headers['idempotency-key'];
        if (typeof key !== 'string' || key.length === 0 || key.length > 200)
          throw new IdempotencyKeyRequiredError();
        // Hashed with quantity 1 filled in, as the schema used to do: a retry of a request made
        // before that default was dropped still matches its key.
        const hash = requestHash({ ...req.body, quantity: req.body.quantity ?? 1 });
        const earlier = await replay(partner.id, key, hash);
        if (earlier) return reply.status(200).send(earlier);

        const b = req.body;
        const id = uuidv7();
        let modelKey: string;
        let alloy: string;
        let quantity = b.quantity ?? 1;
        let details: Record<string, unknown>;
        let modelSize = 0;
        let quoteId: string | undefined;
        if (b.quoteId) {
          const quote = await orderableQuote(ctx.serviceUrl('pricing'), b.quoteId);
          assertOrderMatchesQuote(quote, b);
          quoteId = quote.id;
          ({ modelKey, alloy, quantity } = quote);
          details = { quoteId: quote.id, reference: b.reference ?? null };
        } else {
          if (!b.model || !b.alloy)
            throw new FieldRequiredError(
              'An order needs either quoteId (from POST /v1/quotes) or both model and alloy.',
            );
          const bytes = decodeModel(b.model.contentBase64);
          const mesh = parseStl(bytes, { maxBytes: ctx.config.MODEL_MAX_BYTES });
          modelKey = `models/partner/${partner.id}/${id}.stl`;
          await ctx.storage.put(modelKey, bytes, 'model/stl');
          alloy = b.alloy;
          modelSize = bytes.length;
          details = {
            triangles: mesh.triangleCount,
            filename: b.model.filename,
            reference: b.reference ?? null,
          };
        }

        const created = await db
          .tx(async (q) => {
            // Two requests racing with one key: the second waits on the first's row, then loses.
            if (!(await store.claimIdempotencyKey(q, partner.id, key, hash, id))) return undefined;
            const row = await store.insertOrder(q, {
              id,
              partnerId: partner.id,
              reference: b.reference ?? null,
              alloy,
              quantity,
              customer: b.customer,
              modelKey,
              modelSize,
              ...(quoteId ? { quoteId } : {}),
            });
            const submitted = recordTransition(q, 'partner-api', {
              orderId: id,
              from: null,
              type: 'order.submitted.v1',
              payload: {
                orderId: id,
                orderNumber: row.number,
                channel: 'b2b',
                actor: `partner:${partner.name}`,
                kind: 'custom',
                partnerId: partner.id,
                customer: b.customer,
                alloy,
                quantity,
                modelKey,
                ...(b.quoteId ? { quoteId: b.quoteId } : {}),
              },
              details,
            });
            // The history read goes out with the transition (one round trip) and sees its row.
            const [, history] = await together(submitted, readHistory(q, id));
            return toOrderView(row, history);
          })
          .catch(async (err: unknown) => {
            // Another order holds the quote (pricing had not bound it yet, so orderableQuote did
            // not know), perhaps one racing this one: the unique index decides, as in the shop.
            if (!quoteId || !isUniqueViolation(err, 'orders_quote_id_key')) throw err;
            // Another partner's order is not named: its id is none of this partner's business.
            const holder = await db.query<{ id: string }>(
              'SELECT id FROM orders WHERE quote_id = $1 AND partner_id = $2',
              [quoteId, partner.id],
            );
            throw quoteUsedError(quoteId, holder.rows[0]?.id);
          });
        if (created) return reply.status(201).send(created);
        // Another request with this key won the race while this one was being prepared.
        const raced = await replay(partner.id, key, hash);
        if (!raced) throw new Error(`Idempotency-Key ${key} was claimed but its order is missing`);
        return reply.status(200).send(raced);
      },
    );

    r.post(
      '/v1/quotes',
      {
        bodyLimit: Math.ceil((ctx.config.MODEL_MAX_BYTES * 4) / 3) + 64 * 1024,
        schema: {
          tags: ['quotes'],
          summary:
            'The price API: a binding quote for a model, alloy, quantity and stones, with its breakdown',
          description:
            'The same calculation the platform uses for every order. Order from it with POST /v1/orders and quoteId before expiresAt.',
          security: [{ bearer: [] }],
          body: QuoteBody,
          response: { 201: Type.Any(), ...errors(400, 401, 404, 413, 422, 503) },
        },
      },
      async (req, reply) => {
        const partner = await authenticate(req);
        const b = req.body;
        const res = await requestQuote(
          ctx.serviceUrl('pricing'),
          {
            bytes: decodeModel(b.model.contentBase64),
            filename: b.model.filename,
            units: b.model.units ?? 'mm',
          },
          {
            alloy: b.alloy,
            quantity: b.quantity ?? 1,
            stones: b.stones ?? [],
            requestedBy: `partner:${partner.id}`,
          },
        );
        // Pricing's answer as it is: its 201 quote or its 4xx explaining the model or options.
        return reply.status(res.status as 201).send(res.body);
      },
    );

    r.get(
      '/v1/orders/:id',
      {
        schema: {
          tags: ['orders'],
          summary: 'One of your orders with its status history',
          security: [{ bearer: [] }],
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          response: { 200: OrderView, ...errors(401, 404) },
        },
      },
      async (req) => {
        const partner = await authenticate(req);
        const o = await store.getOrder(db, partner.id, req.params.id);
        if (!o) throw new OrderNotFoundError(req.params.id);
        return view(o);
      },
    );

    r.get(
      '/v1/orders',
      {
        schema: {
          tags: ['orders'],
          summary: 'Your orders, newest first',
          security: [{ bearer: [] }],
          querystring: Type.Object({ status: Type.Optional(OrderStatusSchema), ...ListQuery }),
          response: { 200: listOf(OrderView), ...errors(400, 401) },
        },
      },
      async (req) => {
        const partner = await authenticate(req);
        const res = await store.listOrders(db, {
          partnerId: partner.id,
          ...req.query,
          limit: req.query.limit ?? 50,
        });
        return { items: res.items.map((o) => toOrderView(o)), nextCursor: res.nextCursor };
      },
    );

    r.post(
      '/admin/partners',
      {
        schema: {
          tags: ['administration'],
          summary: 'Register a partner and issue its API key (shown only in this answer)',
          security: [{ bearer: [] }],
          body: Type.Object(
            { name: Type.String({ minLength: 1, maxLength: 200 }) },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ id: Type.String(), name: Type.String(), apiKey: Type.String() }),
            ...errors(400, 401),
          },
        },
      },
      async (req, reply) => {
        requireToken(req, ctx.config.ADMIN_TOKEN, 'administrator');
        return reply.status(201).send(await store.createPartner(db, req.body.name));
      },
    );
  };
}
