import { SERVICE_PREFIXES } from '../contracts/order-status.js';
import { createMailer } from '../platform/mail/mailer.js';
import { EmailOutboxSender } from '../platform/mail/outbox-sender.js';
import type { Queryable } from '../platform/db/types.js';
import type { ServiceDefinition } from '../platform/service.js';
import { assignQueued } from './assignment/assigner.js';
import { ensureArchiveMonths } from './archive.js';
import type { MesDeps } from './deps.js';
import { MES_SERIAL_TYPES, mesHandlers } from './handlers.js';
import { archiveRoutes } from './routes/archive.js';
import { emailRoutes } from './routes/emails.js';
import { operatorRoutes } from './routes/operators.js';
import { productionRoutes } from './routes/production.js';
import { workspaceRoutes } from './routes/workspace.js';
import { seedOperators } from './seed.js';
import { cacheNamespace, WorkspaceCache } from './workspace/cache.js';
import { WorkspaceFeed } from './workspace/feed.js';
import { startCountRollUp } from './workspace/roll-up.js';
import { WorkspaceStreams } from './workspace/stream.js';

/** Manufacturing: the operator workspace, the production queue, assignment, the stages. */
export const mes: ServiceDefinition = {
  name: 'mes',
  title: 'Atelier MES API',
  description:
    'Production orders partitioned active/archive: the operator workspace with filters, counts and a live stream; the queue with atomic claims and fair auto-assignment; operators, skills and capacity; stage advances; the model for the operator.',
  prefix: SERVICE_PREFIXES.mes,
  migrations: new URL('./migrations/', import.meta.url),
  mail: true,
  async create(ctx) {
    const { db, config, logger } = ctx;
    await ensureArchiveMonths(db, logger);
    const feed = new WorkspaceFeed(db, { pollMs: config.WORKSPACE_POLL_MS, logger });
    await feed.start();
    const streams = new WorkspaceStreams(feed);
    const changed = () =>
      feed.poll().catch((err: unknown) => logger.warn({ err }, 'workspace feed poll failed'));
    const cache = config.REDIS_URL
      ? await WorkspaceCache.open(config.REDIS_URL, await cacheNamespace(db), logger)
      : undefined;
    // Every change the feed sees makes what the cache holds old.
    if (cache) feed.subscribe(() => cache.invalidate());
    const change = async <T>(fn: (q: Queryable) => Promise<T>): Promise<T> => {
      const out = await db.tx(fn);
      await changed();
      return out;
    };
    const d: MesDeps = {
      ctx,
      db,
      readDb: ctx.readDb,
      feed,
      streams,
      changed,
      change,
      ...(cache ? { cache } : {}),
    };
    // E-mail to operators who asked for it, when SMTP is configured: sent after commit.
    const mailer = createMailer(config);
    const emailSender = mailer && new EmailOutboxSender({ db, mailer, logger });
    emailSender?.start();

    // The assigner also sweeps now and then: deadlines pass and make orders overdue.
    let sweeping: Promise<unknown> | undefined;
    const sweep = setInterval(() => {
      sweeping ??= db
        .tx((q) => assignQueued(q))
        .then(async (made) => {
          if (made.length) await changed();
        })
        .catch((err: unknown) => logger.warn({ err }, 'assignment sweep failed'))
        .finally(() => (sweeping = undefined));
    }, config.ASSIGN_INTERVAL_MS);
    sweep.unref();
    const stopRollUp = startCountRollUp(db, (err) => logger.warn({ err }, 'count roll-up failed'));

    return {
      routes: async (app) => {
        // Open streams would hold a shutdown: end them before the server closes.
        app.addHook('preClose', async () => streams.closeAll());
        await productionRoutes(d)(app);
        await workspaceRoutes(d)(app);
        await operatorRoutes(d)(app);
        await archiveRoutes(d)(app);
        await emailRoutes(d)(app);
      },
      handlers: mesHandlers({
        deadlineDays: config.PRODUCTION_DEADLINE_DAYS,
        email: Boolean(config.SMTP_URL),
      }),
      serialTypes: MES_SERIAL_TYPES,
      seed: () => seedOperators(db),
      async close() {
        clearInterval(sweep);
        await stopRollUp();
        await sweeping;
        streams.closeAll();
        await feed.stop();
        await emailSender?.stop();
        mailer?.close();
        await cache?.close();
      },
    };
  },
};
