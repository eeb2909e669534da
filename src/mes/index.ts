import type { ServiceDefinition } from '../platform/service.js';
import { mesHandlers } from './handlers.js';
import { mesRoutes } from './routes.js';

/** Manufacturing: prices submitted orders, keeps the production queue, tracks the stages. */
export const mes: ServiceDefinition = {
  name: 'mes',
  title: 'Atelier MES API',
  description:
    'Production orders: pricing from the 3D model, the production queue, atomic claims, stage advances.',
  prefix: '/api/mes',
  migrations: new URL('./migrations/', import.meta.url),
  async create(ctx) {
    return { routes: mesRoutes(ctx), handlers: mesHandlers(ctx.storage, ctx.config.CURRENCY) };
  },
};
