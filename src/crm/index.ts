import { SERVICE_PREFIXES } from '../contracts/order-status.js';
import type { ServiceDefinition } from '../platform/service.js';
import type { ApprovalRules } from './domain/approval.js';
import { crmHandlers } from './handlers.js';
import { crmRoutes } from './routes.js';

/** The sales view: every order, auto-approval, seller decisions, delivery confirmation. */
export const crm: ServiceDefinition = {
  name: 'crm',
  title: 'Atelier CRM API',
  description: 'Sales view of every order; approval rules and seller decisions; closing on delivery.',
  prefix: SERVICE_PREFIXES.crm,
  migrations: new URL('./migrations/', import.meta.url),
  async create(ctx) {
    const rules: ApprovalRules = {
      autoApproveCatalog: ctx.config.CRM_AUTO_APPROVE_CATALOG,
      autoApproveCustomBelowMinor: ctx.config.CRM_AUTO_APPROVE_LIMIT_MINOR,
      currency: ctx.config.CURRENCY,
    };
    return { routes: crmRoutes(ctx, rules), handlers: crmHandlers(rules) };
  },
};
