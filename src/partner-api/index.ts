import { SERVICE_PREFIXES } from '../contracts/order-status.js';
import { FOLLOWED_EVENTS, statusFollower } from '../platform/orders/follow.js';
import type { ServiceDefinition } from '../platform/service.js';
import { partnerRoutes } from './routes.js';
import * as store from './store.js';

export const DEMO_PARTNER_NAME = 'Demo Partner';

/** The public API for partner jewelry sellers: their own store of B2B orders. */
export const partnerApi: ServiceDefinition = {
  name: 'partner-api',
  title: 'Atelier partner API',
  description:
    'Orders from partner sellers, authenticated by API key, with an Idempotency-Key on every create. Partner orders live in this service, not in the shop.',
  prefix: SERVICE_PREFIXES['partner-api'],
  migrations: new URL('./migrations/', import.meta.url),
  async create(ctx) {
    const follow = statusFollower({ table: 'orders', channel: 'b2b' });
    return {
      routes: partnerRoutes(ctx),
      handlers: Object.fromEntries(FOLLOWED_EVENTS.map((t) => [t, follow])),
      channel: 'b2b',
      async seed() {
        const key = ctx.config.DEMO_PARTNER_KEY;
        if (
          key &&
          !(await store.partnerByKey(ctx.db, key)) &&
          !(await store.partnerByName(ctx.db, DEMO_PARTNER_NAME))
        ) {
          await store.createPartner(ctx.db, DEMO_PARTNER_NAME, key);
        }
      },
    };
  },
};
