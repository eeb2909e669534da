import { Counter, Gauge } from 'prom-client';
import { registry } from '../platform/telemetry/metrics.js';

/** The tracker's own metrics, in the platform's registry (so /metrics serves them). */
export const slaBreaches = new Counter({
  name: 'atelier_sla_breaches_total',
  help: 'Orders that missed a deadline: a stage (`stage` is the status) or the whole promise (`stage="promise"`).',
  labelNames: ['stage', 'channel'] as const,
  registers: [registry],
});

export const incidentsOpened = new Counter({
  name: 'atelier_incidents_opened_total',
  help: 'Incidents opened, by kind (late, promise, dead_letter, lost).',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const incidentsResolved = new Counter({
  name: 'atelier_incidents_resolved_total',
  help: 'Incidents resolved (the order moved on, the message was handled, the event arrived).',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const incidentsOpen = new Gauge({
  name: 'atelier_incidents_open',
  help: 'Incidents open now, by kind (read at scrape time).',
  labelNames: ['kind'] as const,
  registers: [registry],
});

export const ordersInStatus = new Gauge({
  name: 'atelier_orders_in_status',
  help: 'Orders not yet ended, by current status, as the tracker sees them (read at scrape time).',
  labelNames: ['status'] as const,
  registers: [registry],
});

export const lateOrders = new Gauge({
  name: 'atelier_orders_late',
  help: 'Orders past their stage deadline now, by status (read at scrape time).',
  labelNames: ['status'] as const,
  registers: [registry],
});
