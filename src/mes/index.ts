import type { ServiceDefinition } from '../platform/service.js';
import { mesHandlers } from './handlers.js';
import { mesRoutes } from './routes.js';

/** Manufacturing: keeps the production queue, tracks the stages, serves the model to the operator. */
export const mes: ServiceDefinition = {
  name: 'mes',
  title: 'Atelier MES API',
  description:
    'Production orders: the production queue, atomic claims, stage advances, the model for the operator.',
  prefix: '/api/mes',
  migrations: new URL('./migrations/', import.meta.url),
  async create(ctx) {
    return { routes: mesRoutes(ctx), handlers: mesHandlers() };
  },
};
