import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { ALLOYS, type AlloyId } from '../contracts/alloys.js';
import { assertTransition } from '../contracts/order-status.js';
import {
  AlloySchema,
  Customer,
  errors,
  ListQuery,
  listOf,
  OrderStatusSchema,
  OrderView,
} from '../contracts/api.js';
import { Money } from '../contracts/events.js';
import { parseStl } from '../platform/geometry/stl.js';
import { OrderNotFoundError, UnsupportedMediaTypeError } from '../platform/http/errors.js';
import { readHistory, recordTransition } from '../platform/orders/history.js';
import { toOrderView, type OrderRow } from '../platform/orders/view.js';
import { together } from '../platform/db/together.js';
import { isUniqueViolation } from '../platform/db/errors.js';
import type { Queryable } from '../platform/db/types.js';
import type { ServiceContext } from '../platform/service.js';
import {
  CatalogItemNotFoundError,
  FieldRequiredError,
  ModelMissingError,
  OrderKindMismatchError,
} from './errors.js';
import * as store from './store.js';
import {
  assertOrderMatchesQuote,
  orderableQuote,
  quoteUsedError,
  type Quote,
} from '../platform/http/quote-client.js';

const STL_TYPES = [
  'model/stl',
  'application/octet-stream',
  'application/sla',
  'model/x.stl-binary',
  'model/x.stl-ascii',
];

const CreateOrder = Type.Object(
  {
    kind: Type.Union([Type.Literal('catalog'), Type.Literal('custom')]),
    catalogSku: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    quoteId: Type.Optional(
      Type.String({
        format: 'uuid',
        description:
          'Custom orders: order a quoted model (POST /api/pricing/quotes) at its quoted price; alloy and quantity come from the quote.',
      }),
    ),
    alloy: Type.Optional(AlloySchema),
    // No schema default: an order from a quote must tell "not sent" from "1" (the code uses 1).
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Pieces (default 1)' })),
    customer: Customer,
    submit: Type.Optional(
      Type.Boolean({
        description:
          'Catalog orders and orders from a quote: create and submit in one request (SUBMITTED), as a one-click order does.',
      }),
    ),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** INITIATED or FILE_UPLOADED → SUBMITTED, with the event that carries everything pricing needs. */
async function submit(q: Queryable, o: OrderRow): Promise<OrderRow> {
  // A custom order needs its model: uploaded (FILE_UPLOADED) or taken from a quote.
  if (o.kind === 'custom' && o.status === 'INITIATED' && !o.model_key) throw new ModelMissingError(o.id);
  const submitted = recordTransition(q, 'shop', {
    orderId: o.id,
    from: o.status,
    type: 'order.submitted.v1',
    payload: {
      orderId: o.id,
      orderNumber: o.number,
      channel: 'b2c',
      actor: 'customer',
      kind: o.kind,
      customer: { name: o.customer_name ?? '', email: o.customer_email ?? '' },
      alloy: o.alloy,
      quantity: o.quantity,
      ...(o.catalog_sku ? { catalogSku: o.catalog_sku } : {}),
      ...(o.list_price_minor != null
        ? { listPrice: { amountMinor: Number(o.list_price_minor), currency: o.currency as string } }
        : {}),
      ...(o.model_key ? { modelKey: o.model_key } : {}),
      ...(o.quote_id ? { quoteId: o.quote_id } : {}),
    },
  });
  const [, row] = await together(submitted, store.setStatus(q, o.id, 'SUBMITTED'));
  return row;
}

export function shopRoutes(ctx: ServiceContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = ctx;

    // Models arrive as raw bytes; this parser is scoped to the shop and its own size limit.
    app.addContentTypeParser(
      STL_TYPES,
      { parseAs: 'buffer', bodyLimit: ctx.config.MODEL_MAX_BYTES },
      (_req, body, done) => done(null, body),
    );

    const view = async (row: OrderRow, q: Queryable = db) => toOrderView(row, await readHistory(q, row.id));
    /** The order as the statements just issued leave it, read in the same round trip as them. */
    const viewAfter = async (id: string, changed: Promise<OrderRow>, q: Queryable) => {
      const [row, history] = await together(changed, readHistory(q, id));
      return toOrderView(row, history);
    };

    // The catalog changes rarely and is read on every catalog order: keep it for a few seconds.
    let cachedCatalog: { at: number; items: Promise<store.CatalogItem[]> } | undefined;
    const catalog = () => {
      if (!cachedCatalog || Date.now() - cachedCatalog.at > 10_000) {
        cachedCatalog = { at: Date.now(), items: store.listCatalog(db) };
        cachedCatalog.items.catch(() => (cachedCatalog = undefined));
      }
      return cachedCatalog.items;
    };

    r.get(
      '/catalog',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The pieces a customer can order as they are',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  sku: Type.String(),
                  name: Type.String(),
                  description: Type.String(),
                  alloy: Type.String(),
                  price: Money,
                }),
              ),
            }),
          },
        },
      },
      async () => ({ items: await catalog() }),
    );

    r.get(
      '/alloys',
      {
        schema: {
          tags: ['catalog'],
          summary: 'The alloys a custom piece can be cast in',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({ id: Type.String(), name: Type.String(), densityGPerCm3: Type.Number() }),
              ),
            }),
          },
        },
      },
      async () => ({ items: ALLOYS.map((a) => ({ ...a })) }),
    );

    r.post(
      '/orders',
      {
        schema: {
          tags: ['orders'],
          summary: 'Start an order (INITIATED), or place it at once (SUBMITTED) with submit: true',
          body: CreateOrder,
          response: { 201: OrderView, ...errors(400, 409, 422, 503) },
        },
      },
      async (req, reply) => {
        const b = req.body;
        let alloy: AlloyId | undefined = b.alloy;
        let listPrice: { amountMinor: number; currency: string } | null = null;
        let quote: Quote | undefined;
        let quantity = b.quantity ?? 1;
        if (b.kind === 'custom' && b.quoteId) {
          quote = await orderableQuote(ctx.serviceUrl('pricing'), b.quoteId);
          assertOrderMatchesQuote(quote, b);
          alloy = quote.alloy as AlloyId;
          quantity = quote.quantity;
        } else if (b.kind === 'catalog') {
          if (!b.catalogSku)
            throw new FieldRequiredError(
              'A catalog order needs catalogSku: one of the SKUs from GET /api/shop/catalog.',
            );
          const item = (await catalog()).find((i) => i.sku === b.catalogSku);
          if (!item) throw new CatalogItemNotFoundError(b.catalogSku);
          alloy = item.alloy as AlloyId;
          listPrice = item.price;
        } else if (b.submit) {
          throw new FieldRequiredError(
            'A custom order without a quoteId cannot be submitted when it is created: create it, PUT its model to /api/shop/orders/<id>/model, then POST /api/shop/orders/<id>/submit; or order from a quote (quoteId).',
          );
        } else if (!alloy) {
          throw new FieldRequiredError(
            `A custom order needs alloy: one of ${ALLOYS.map((a) => a.id).join(', ')}.`,
          );
        }
        const id = uuidv7();
        const row = await db
          .tx(async (q) => {
            const created = await store.insertOrder(q, {
              id,
              kind: b.kind,
              catalogSku: b.catalogSku ?? null,
              alloy: alloy as string,
              quantity,
              customer: b.customer,
              listPriceMinor: listPrice?.amountMinor ?? null,
              currency: listPrice?.currency ?? ctx.config.CURRENCY,
              ...(quote
                ? {
                    quote: {
                      id: quote.id,
                      modelKey: quote.modelKey,
                      priceMinor: quote.total.amountMinor,
                      currency: quote.total.currency,
                    },
                  }
                : {}),
            });
            const initiated = recordTransition(q, 'shop', {
              orderId: id,
              from: null,
              type: 'order.initiated.v1',
              payload: {
                orderId: id,
                orderNumber: created.number,
                channel: 'b2c',
                actor: 'customer',
                kind: b.kind,
              },
            });
            const [, createdView] = await together(
              initiated,
              viewAfter(id, b.submit ? submit(q, created) : Promise.resolve(created), q),
            );
            return createdView;
          })
          .catch(async (err: unknown) => {
            // Another order here holds the quote (pricing may not have bound it yet, so
            // orderableQuote did not know): the unique index decides, also between two requests
            // racing with one quote, and the loser is told which order has it.
            if (!quote || !isUniqueViolation(err, 'orders_quote_id_key')) throw err;
            const holder = await db.query<{ id: string }>('SELECT id FROM orders WHERE quote_id = $1', [
              quote.id,
            ]);
            throw quoteUsedError(quote.id, holder.rows[0]?.id);
          });
        return reply.status(201).send(row);
      },
    );

    r.put(
      '/orders/:id/model',
      {
        bodyLimit: ctx.config.MODEL_MAX_BYTES,
        schema: {
          consumes: STL_TYPES,
          tags: ['orders'],
          summary: 'Upload the 3D model (binary or ASCII STL) of a custom order (FILE_UPLOADED)',
          description: `Send the raw file bytes with Content-Type ${STL_TYPES.join(' or ')}. Uploading again before submitting replaces the model.`,
          params: IdParams,
          response: { 200: OrderView, ...errors(400, 404, 409, 413, 415, 422) },
        },
      },
      async (req) => {
        const { id } = req.params;
        // No body at all arrives as undefined; JSON or text/plain ones were parsed by the
        // server-wide parsers and are not file bytes.
        if (req.body !== undefined && !Buffer.isBuffer(req.body)) {
          throw new UnsupportedMediaTypeError(
            `Content-Type ${(req.headers['content-type'] ?? '').split(';')[0]}`,
            `Upload the raw STL file bytes with Content-Type ${STL_TYPES.join(' or ')}.`,
          );
        }
        const bytes = (req.body as Buffer | undefined) ?? Buffer.alloc(0);
        const existing = await store.getOrder(db, id);
        if (!existing) throw new OrderNotFoundError(id);
        if (existing.kind !== 'custom') {
          throw new OrderKindMismatchError(
            id,
            existing.kind,
            'catalog pieces are made from our own model; no upload is needed.',
          );
        }
        // A model can be (re)placed until the order is submitted; refuse before storing anything.
        if (existing.status !== 'FILE_UPLOADED')
          assertTransition(id, existing.status, 'FILE_UPLOADED', 'shop');
        // Reject anything that is not a readable STL before storing a byte of it.
        const mesh = parseStl(bytes, { maxBytes: ctx.config.MODEL_MAX_BYTES });
        const key = `models/shop/${id}/${uuidv7()}.stl`;
        await ctx.storage.put(key, bytes, 'model/stl');
        const row = await db.tx(async (q) => {
          const o = await store.getOrder(q, id, true);
          if (!o) throw new OrderNotFoundError(id);
          if (o.status === 'FILE_UPLOADED') {
            return viewAfter(
              id,
              store.setStatus(q, id, o.status, { modelKey: key, modelSize: bytes.length }),
              q,
            );
          }
          const uploaded = recordTransition(q, 'shop', {
            orderId: id,
            from: o.status,
            type: 'order.file_uploaded.v1',
            payload: {
              orderId: id,
              orderNumber: o.number,
              channel: 'b2c',
              actor: 'customer',
              modelKey: key,
              sizeBytes: bytes.length,
            },
            details: { triangles: mesh.triangleCount, format: mesh.format },
          });
          const [, uploadedView] = await together(
            uploaded,
            viewAfter(
              id,
              store.setStatus(q, id, 'FILE_UPLOADED', { modelKey: key, modelSize: bytes.length }),
              q,
            ),
          );
          return uploadedView;
        });
        return row;
      },
    );

    r.post(
      '/orders/:id/submit',
      {
        schema: {
          tags: ['orders'],
          summary: 'Submit the order for pricing and manufacturing (SUBMITTED)',
          params: IdParams,
          response: { 200: OrderView, ...errors(404, 409) },
        },
      },
      async (req) => {
        const { id } = req.params;
        const row = await db.tx(async (q) => {
          const o = await store.getOrder(q, id, true);
          if (!o) throw new OrderNotFoundError(id);
          return viewAfter(id, submit(q, o), q);
        });
        return row;
      },
    );

    r.post(
      '/orders/:id/cancel',
      {
        schema: {
          tags: ['orders'],
          summary: 'Cancel an order before it is submitted (CANCELLED); after that, ask the seller (CRM)',
          params: IdParams,
          body: Type.Object(
            { reason: Type.String({ minLength: 1, maxLength: 500 }) },
            { additionalProperties: false },
          ),
          response: { 200: OrderView, ...errors(400, 404, 409) },
        },
      },
      async (req) => {
        const { id } = req.params;
        const row = await db.tx(async (q) => {
          const o = await store.getOrder(q, id, true);
          if (!o) throw new OrderNotFoundError(id);
          await recordTransition(q, 'shop', {
            orderId: id,
            from: o.status,
            type: 'order.cancelled.v1',
            payload: {
              orderId: id,
              orderNumber: o.number,
              channel: 'b2c',
              actor: 'customer',
              reason: req.body.reason,
            },
          });
          return view(await store.setStatus(q, id, 'CANCELLED'), q);
        });
        return row;
      },
    );

    r.get(
      '/orders/:id',
      {
        schema: {
          tags: ['orders'],
          summary: 'An order with its status history',
          params: IdParams,
          response: { 200: OrderView, ...errors(404) },
        },
      },
      async (req) => {
        const o = await store.getOrder(db, req.params.id);
        if (!o) throw new OrderNotFoundError(req.params.id);
        return view(o);
      },
    );

    r.get(
      '/orders',
      {
        schema: {
          tags: ['orders'],
          summary: 'Orders, newest first, by customer e-mail and status',
          querystring: Type.Object({
            email: Type.Optional(Type.String({ format: 'email' })),
            status: Type.Optional(OrderStatusSchema),
            ...ListQuery,
          }),
          response: { 200: listOf(OrderView), ...errors(400) },
        },
      },
      async (req) => {
        const res = await store.listOrders(db, { ...req.query, limit: req.query.limit ?? 50 });
        return { items: res.items.map((o) => toOrderView(o)), nextCursor: res.nextCursor };
      },
    );
  };
}
