import type { ServiceContext } from '../platform/service.js';
import type { PricingEngine } from './engine/engine.js';
import type { PriceFn } from './handlers.js';
import type { ProgressHub } from './progress.js';

/** What the pricing routes and handlers share. */
export interface PricingDeps {
  ctx: ServiceContext;
  engine: PricingEngine;
  hub: ProgressHub;
  /** Prices an order, reporting progress under the order's id. */
  price: PriceFn;
  /** URL prefix of the service, for links in responses. */
  prefix: string;
}
