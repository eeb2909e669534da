import type { FastifyInstance } from 'fastify';
import type { PricingDeps } from '../deps.js';
import { jobRoutes } from './jobs.js';
import { modelRoutes } from './models.js';
import { priceListRoutes } from './price-lists.js';
import { progressRoutes } from './progress.js';
import { quoteRoutes } from './quotes.js';

export function pricingRoutes(d: PricingDeps) {
  return async (app: FastifyInstance) => {
    for (const routes of [modelRoutes, quoteRoutes, priceListRoutes, jobRoutes, progressRoutes]) {
      await app.register(routes(d));
    }
  };
}
