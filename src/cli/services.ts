import { crm } from '../crm/index.js';
import { mes } from '../mes/index.js';
import { partnerApi } from '../partner-api/index.js';
import { pricing } from '../pricing/index.js';
import type { ServiceDefinition } from '../platform/service.js';
import { shop } from '../shop/index.js';
import { tracker } from '../tracker/index.js';

/** Every service the platform runs, by the name `atelier serve <name>` takes. */
export const SERVICES: Record<string, ServiceDefinition> = {
  pricing,
  shop,
  'partner-api': partnerApi,
  crm,
  mes,
  // Last: it reads every other service, so in the distributed mode it starts after them.
  tracker,
};

export const SERVICE_NAMES = Object.keys(SERVICES);
