import { SERVICE_PREFIXES } from '../contracts/order-status.js';
import type { ServiceDefinition } from '../platform/service.js';
import { PricingEngine } from './engine/engine.js';
import { PricingPool } from './engine/pool.js';
import { pricingHandlers } from './handlers.js';
import { priceOrder } from './price-order.js';
import { ProgressHub } from './progress.js';
import { pricingRoutes } from './routes/index.js';
import { addScrapeSource } from '../platform/telemetry/scrape.js';
import { workerPoolQueued, workerPoolThreads, workerPoolUtilization } from '../platform/telemetry/metrics.js';

const PREFIX = SERVICE_PREFIXES.pricing;

/**
 * Pricing: measures 3D models on a worker-thread pool, prices them with the versioned price
 * list, gives quotes, and prices every submitted order (a competing consumer: any number of
 * pricing processes share the jobs).
 */
export const pricing: ServiceDefinition = {
  name: 'pricing',
  title: 'Atelier pricing API',
  description:
    'Models (STL, OBJ) measured in parallel on worker threads, quotes with their breakdown, the versioned price list, price jobs and their progress.',
  prefix: PREFIX,
  migrations: new URL('./migrations/', import.meta.url),
  async create(ctx) {
    const { config } = ctx;
    const pool = new PricingPool({
      ...(config.PRICING_THREADS > 0 ? { threads: config.PRICING_THREADS } : {}),
      taskTimeoutMs: config.PRICING_TASK_TIMEOUT_MS,
      attempts: config.PRICING_TASK_ATTEMPTS,
      fault: () => (config.PRICING_FAULT === 'none' ? undefined : (config.PRICING_FAULT as 'crash' | 'hang')),
    });
    const removeScrape = config.METRICS
      ? addScrapeSource(async () => {
          const s = pool.stats();
          const labels = { service: 'pricing', pool: 'geometry' };
          workerPoolThreads.set(labels, s.threads);
          workerPoolQueued.set(labels, s.queued);
          workerPoolUtilization.set(labels, s.utilization);
        })
      : () => undefined;
    const engine = new PricingEngine(pool, { maxTriangles: config.MODEL_MAX_TRIANGLES });
    const hub = new ProgressHub();
    const price = async (orderId: string, request: Parameters<typeof priceOrder>[2]) => {
      const outcome = await priceOrder(
        { db: ctx.db, storage: ctx.storage, engine, attempts: config.PRICING_TASK_ATTEMPTS },
        orderId,
        request,
        (p) => hub.publish(orderId, p),
      );
      hub.publish(
        orderId,
        'breakdown' in outcome
          ? { stage: 'done' }
          : { stage: 'failed', message: 'rejected' in outcome ? outcome.rejected : outcome.failed },
      );
      return outcome;
    };
    const deps = { ctx, engine, hub, price, prefix: PREFIX };
    return {
      routes: pricingRoutes(deps),
      handlers: pricingHandlers(price),
      // Jobs wait in the broker's queue, not in a busy process: with more taken than its threads
      // can start, an idle pricing process would watch another work through a backlog.
      prefetch: config.PRICING_CONCURRENCY > 0 ? config.PRICING_CONCURRENCY : pool.threads + 1,
      close: async () => {
        removeScrape();
        await pool.close();
      },
    };
  },
};
