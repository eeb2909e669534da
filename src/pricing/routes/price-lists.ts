import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { errors, INT_COLUMN_MAX } from '../../contracts/api.js';
import { requireToken } from '../../platform/http/auth.js';
import { alloysOf, PriceListBody, type PriceList } from '../domain/price-list.js';
import { PriceListNotFoundError } from '../errors.js';
import type { PricingDeps } from '../deps.js';
import * as store from '../store.js';

const PriceListView = Type.Object(
  {
    version: Type.Integer(),
    createdAt: Type.String(),
    createdBy: Type.String(),
    note: Type.Union([Type.String(), Type.Null()]),
    currency: Type.String(),
    alloys: Type.Array(
      Type.Object({
        id: Type.String(),
        name: Type.String(),
        densityGPerCm3: Type.Number(),
        pricePerGramMinor: Type.Integer(),
      }),
    ),
    stones: PriceListBody.properties.stones,
    labour: PriceListBody.properties.labour,
    marginPercent: Type.Number(),
    quoteValidityHours: Type.Integer(),
  },
  { additionalProperties: false },
);

/** The list with each alloy's name and density, so a client needs no second table. */
const view = (l: PriceList) => ({ ...l, alloys: alloysOf(l) });

export function priceListRoutes(d: PricingDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db, config } = d.ctx;

    r.get(
      '/price-list',
      {
        schema: {
          tags: ['price list'],
          summary: 'The price list in force: alloys, stones, labour, margin, quote validity',
          response: { 200: PriceListView },
        },
      },
      async () => view(await store.currentPriceList(db)),
    );

    r.get(
      '/price-lists',
      {
        schema: {
          tags: ['price list'],
          summary: 'Every published version, newest first',
          response: {
            200: Type.Object({
              items: Type.Array(
                Type.Object({
                  version: Type.Integer(),
                  createdBy: Type.String(),
                  note: Type.Union([Type.String(), Type.Null()]),
                  createdAt: Type.String(),
                }),
              ),
            }),
          },
        },
      },
      async () => ({ items: await store.listPriceLists(db) }),
    );

    r.get(
      '/price-lists/:version',
      {
        schema: {
          tags: ['price list'],
          summary: 'One version, as quotes and orders priced with it saw it',
          // price_lists.version is an int: a larger number would fail in SQL (a 500), not here.
          params: Type.Object({ version: Type.Integer({ minimum: 1, maximum: INT_COLUMN_MAX }) }),
          response: { 200: PriceListView, ...errors(400, 404) },
        },
      },
      async (req) => {
        const l = await store.priceListVersion(db, req.params.version);
        if (!l) throw new PriceListNotFoundError(req.params.version);
        return view(l);
      },
    );

    r.post(
      '/price-lists',
      {
        schema: {
          tags: ['price list'],
          summary: 'Publish a new version (administrator); earlier versions stay as they were',
          security: [{ bearer: [] }],
          body: Type.Object(
            {
              note: Type.Optional(Type.String({ maxLength: 500 })),
              priceList: PriceListBody,
            },
            { additionalProperties: false },
          ),
          response: { 201: PriceListView, ...errors(400, 401, 422) },
        },
      },
      async (req, reply) => {
        requireToken(req, config.ADMIN_TOKEN, 'administrator');
        const l = await store.publishPriceList(
          db,
          req.body.priceList,
          'administrator',
          req.body.note ?? null,
        );
        req.log.info({ version: l.version }, 'price list published');
        return reply.status(201).send(view(l));
      },
    );
  };
}
