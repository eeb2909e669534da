import { EVENT_TYPES } from '../contracts/events.js';
import { SERVICE_PREFIXES } from '../contracts/order-status.js';
import type { Handler } from '../platform/messaging/consumer.js';
import { runEvery } from '../platform/periodic.js';
import type { ServiceDefinition } from '../platform/service.js';
import { addScrapeSource } from '../platform/telemetry/scrape.js';
import { sweepDeadlines } from './deadlines.js';
import { recordJourneyEvent } from './journey.js';
import { incidentsOpen, lateOrders, ordersInStatus } from './metrics.js';
import { reconcile } from './reconcile.js';
import { trackerRoutes } from './routes.js';
import { notificationRoutes } from './notification-routes.js';
import { createMailer } from '../platform/mail/mailer.js';
import { EmailOutboxSender } from '../platform/mail/outbox-sender.js';
import { ServiceClient } from './service-client.js';

/**
 * The tracker: every order event into a journey read model, stage deadlines and the incidents
 * they open, reconciliation of what each service knows, and the dead letters of all of them.
 */
export const tracker: ServiceDefinition = {
  name: 'tracker',
  title: 'Atelier tracker API',
  description:
    "Every order's journey across the services, stage deadlines, and incidents: late orders, missed promises, dead-lettered messages and events that never arrived.",
  prefix: SERVICE_PREFIXES.tracker,
  migrations: new URL('./migrations/', import.meta.url),
  mail: true,
  async create(ctx) {
    const { config, db, logger } = ctx;
    const client = new ServiceClient(ctx.serviceUrl, config.ADMIN_TOKEN);
    const handle: Handler = (event, q) => recordJourneyEvent(q, event, config.PRODUCTION_DEADLINE_DAYS);
    const stopSweep = runEvery(config.TRACKER_SWEEP_MS, () => sweepDeadlines(db), logger, 'deadline sweep');
    const stopReconcile = runEvery(
      config.TRACKER_RECONCILE_MS,
      () =>
        reconcile(
          db,
          client,
          // Each run looks back over two intervals, so an event is compared at least once.
          { graceMs: config.TRACKER_LOST_GRACE_MS, windowMs: 2 * config.TRACKER_RECONCILE_MS + 5000 },
          logger,
        ),
      logger,
      'reconciliation',
    );
    // Notifications are e-mailed to subscribers when SMTP is configured: sent after commit.
    const mailer = createMailer(config);
    const emailSender = mailer && new EmailOutboxSender({ db, mailer, logger });
    emailSender?.start();
    const removeScrape = config.METRICS
      ? addScrapeSource(async () => {
          const open = await db.query<{ kind: string; n: number }>(
            'SELECT kind, count(*)::int AS n FROM incidents WHERE resolved_at IS NULL GROUP BY kind',
          );
          for (const kind of ['late', 'promise', 'dead_letter', 'lost']) incidentsOpen.set({ kind }, 0);
          for (const r of open.rows) incidentsOpen.set({ kind: r.kind }, r.n);
          const statuses = await db.query<{ status: string; n: number; late: number }>(
            `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE stage_deadline_at <= now())::int AS late
             FROM journeys WHERE ended_at IS NULL GROUP BY status`,
          );
          ordersInStatus.reset();
          lateOrders.reset();
          for (const r of statuses.rows) {
            ordersInStatus.set({ status: r.status }, r.n);
            lateOrders.set({ status: r.status }, r.late);
          }
        })
      : () => undefined;
    return {
      routes: async (app) => {
        await trackerRoutes(ctx, client)(app);
        await notificationRoutes(ctx)(app);
      },
      handlers: Object.fromEntries(EVENT_TYPES.map((t) => [t, handle])),
      async close() {
        removeScrape();
        await stopSweep();
        await stopReconcile();
        await emailSender?.stop();
        mailer?.close();
      },
    };
  },
};
