import { SERVICE_PREFIXES } from '../contracts/order-status.js';
import { FOLLOWED_EVENTS, statusFollower } from '../platform/orders/follow.js';
import type { ServiceDefinition } from '../platform/service.js';
import { shopRoutes } from './routes.js';

/** The customer shop: catalog, B2C orders and their 3D models. */
export const shop: ServiceDefinition = {
  name: 'shop',
  title: 'Atelier shop API',
  description: 'Catalog and customer orders: create, upload a 3D model, submit, track.',
  prefix: SERVICE_PREFIXES.shop,
  migrations: new URL('./migrations/', import.meta.url),
  async create(ctx) {
    const follow = statusFollower({ table: 'orders', channel: 'b2c' });
    return {
      routes: shopRoutes(ctx),
      handlers: Object.fromEntries(FOLLOWED_EVENTS.map((t) => [t, follow])),
      channel: 'b2c',
    };
  },
};
