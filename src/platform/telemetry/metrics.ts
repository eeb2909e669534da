import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every Prometheus metric Atelier exports, in one place, so the alert rules and dashboards in
 * deploy/ can be checked against this list. Conventions: `atelier_` prefix, base units
 * (seconds), `_total` counters, and labels with a small, fixed set of values: the service, the
 * route template, the channel, the partner id (one per contract, not per order), statuses and
 * event types. Never an order id: that belongs on spans and log lines.
 *
 * `service` is on every series because embedded mode hosts every service in one process.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry });

/** Seconds buckets from a fast API call to a slow upload. */
const REQUEST_BUCKETS = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
/** Seconds buckets from an automatic step to the three-week promise. */
const STAGE_BUCKETS = [
  0.1,
  0.25,
  0.5,
  1,
  2.5,
  5,
  15,
  60,
  300,
  1800,
  3600,
  4 * 3600,
  86400,
  3 * 86400,
  7 * 86400,
  21 * 86400,
];

export const httpRequests = new Counter({
  name: 'atelier_http_requests_total',
  help: 'HTTP requests answered, by route template and status code.',
  labelNames: ['service', 'method', 'route', 'status_code', 'channel', 'partner'] as const,
  registers: [registry],
});

export const httpDuration = new Histogram({
  name: 'atelier_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by route template.',
  labelNames: ['service', 'method', 'route', 'channel', 'partner'] as const,
  buckets: REQUEST_BUCKETS,
  registers: [registry],
});

export const ordersCreated = new Counter({
  name: 'atelier_orders_created_total',
  help: 'Orders accepted (committed), by channel and partner.',
  labelNames: ['service', 'channel', 'partner'] as const,
  registers: [registry],
});

export const orderTransitions = new Counter({
  name: 'atelier_order_transitions_total',
  help: 'Status changes committed by the service that owns them, by new status.',
  labelNames: ['service', 'status', 'channel'] as const,
  registers: [registry],
});

export const orderStageDuration = new Histogram({
  name: 'atelier_order_stage_duration_seconds',
  help: 'Time an order spent in a status before the owning service moved it on, by that status.',
  labelNames: ['service', 'stage', 'channel'] as const,
  buckets: STAGE_BUCKETS,
  registers: [registry],
});

export const priceCalculation = new Histogram({
  name: 'atelier_price_calculation_duration_seconds',
  help: 'Reading, analysing and pricing one model, by its size class in triangles.',
  labelNames: ['service', 'size'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
  registers: [registry],
});

export const outboxPublished = new Counter({
  name: 'atelier_outbox_published_total',
  help: 'Outbox rows published to the broker.',
  labelNames: ['service'] as const,
  registers: [registry],
});

export const outboxPublishLag = new Histogram({
  name: 'atelier_outbox_publish_lag_seconds',
  help: 'From an event being committed to the broker confirming it.',
  labelNames: ['service'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
  registers: [registry],
});

export const outboxUnpublished = new Gauge({
  name: 'atelier_outbox_unpublished',
  help: 'Outbox rows not yet published (read at scrape time).',
  labelNames: ['service'] as const,
  registers: [registry],
});

export const outboxOldestAge = new Gauge({
  name: 'atelier_outbox_oldest_unpublished_age_seconds',
  help: 'Age of the oldest unpublished outbox row, 0 when there is none (read at scrape time).',
  labelNames: ['service'] as const,
  registers: [registry],
});

export const messagesConsumed = new Counter({
  name: 'atelier_messages_consumed_total',
  help: 'Messages taken off the broker, by how their handling ended.',
  labelNames: ['consumer', 'type', 'outcome'] as const,
  registers: [registry],
});

export const messageRedeliveries = new Counter({
  name: 'atelier_message_redeliveries_total',
  help: 'Deliveries of a message seen before: a retry after a failure, or the broker redelivering after a lost ack.',
  labelNames: ['consumer', 'type'] as const,
  registers: [registry],
});

export const deadLettersOpen = new Gauge({
  name: 'atelier_dead_letters',
  help: 'Dead-lettered messages not yet replayed (read at scrape time).',
  labelNames: ['consumer'] as const,
  registers: [registry],
});

export const dbPoolConnections = new Gauge({
  name: 'atelier_db_pool_connections',
  help: 'Database pool connections by state (total, idle, waiting clients).',
  labelNames: ['service', 'pool', 'state'] as const,
  registers: [registry],
});

export const workerPoolThreads = new Gauge({
  name: 'atelier_worker_pool_threads',
  help: 'Threads of a worker pool.',
  labelNames: ['service', 'pool'] as const,
  registers: [registry],
});

export const workerPoolQueued = new Gauge({
  name: 'atelier_worker_pool_queued_tasks',
  help: 'Tasks waiting for a worker thread.',
  labelNames: ['service', 'pool'] as const,
  registers: [registry],
});

export const workerPoolUtilization = new Gauge({
  name: 'atelier_worker_pool_utilization_ratio',
  help: 'Share of the worker pool busy since it started (0..1).',
  labelNames: ['service', 'pool'] as const,
  registers: [registry],
});

/** The model size classes of the price-calculation histogram (few values, so few series). */
export function modelSizeClass(triangles: number): string {
  if (triangles < 10_000) return 'lt_10k';
  if (triangles < 100_000) return '10k_100k';
  if (triangles < 1_000_000) return '100k_1m';
  return 'ge_1m';
}
