import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import type { EventType } from '../contracts/events.js';
import type { ServiceName } from '../contracts/order-status.js';
import type { Config } from './config.js';
import type { Db } from './db/types.js';
import { migrate } from './db/migrate.js';
import { MAIL_MIGRATIONS } from './mail/email-outbox.js';
import { InboxConsumer, type AnyHandler } from './messaging/consumer.js';
import { OutboxRelay } from './messaging/relay.js';
import { runEvery } from './periodic.js';
import { summarizeBrinRanges } from './db/brin-upkeep.js';
import { noFaults } from './messaging/faults.js';
import type { Transport } from './messaging/transport.js';
import type { FileStorage } from './storage/file-storage.js';
import { registerOpsRoutes } from './http/ops-routes.js';
import { registerHttpMetrics } from './telemetry/http-metrics.js';
import { registerOrderTagging } from './telemetry/http-order-tag.js';
import { addScrapeSource, serviceScrapeSource } from './telemetry/scrape.js';
import { setStatusLogger } from './telemetry/status-change.js';
import { reportIfSlow } from './slow-step.js';

/** How often an embedded service summarizes its BRIN indexes' new ranges (and analyzes their tables). */
const BRIN_UPKEEP_MS = 5 * 60_000;

/** What every service gets from the runtime. */
export interface ServiceContext {
  name: ServiceName;
  db: Db;
  /**
   * For reads that may lag the primary by a moment (workspace lists and counts): the read
   * replica when one is configured, otherwise the very same object as `db`. Read-only: writes,
   * reads that must see the request's own write, and onCommit belong on `db`.
   */
  readDb: Db;
  config: Config;
  logger: Logger;
  storage: FileStorage;
  transport: Transport;
  /** Base URL (no prefix) where another service's API answers: this server in embedded mode. */
  serviceUrl(name: ServiceName): string;
}

/** What a service gives back: its HTTP routes and the events it handles. */
export interface ServiceParts {
  routes(app: FastifyInstance): Promise<void>;
  handlers: Partial<Record<EventType, AnyHandler>>;
  /** The one channel whose events this service handles, when it is not all of them. */
  channel?: 'b2c' | 'b2b';
  /** Types whose handlers touch rows shared across orders (see ConsumerOptions.serialTypes). */
  serialTypes?: readonly EventType[];
  /** Messages handled at once, when the service needs fewer than MESSAGING_PREFETCH (heavy work). */
  prefetch?: number;
  /** Releases what the service opened beyond the runtime's (a worker pool). */
  close?(): Promise<void>;
  /** Demo data for embedded mode; must be idempotent. */
  seed?(): Promise<void>;
}

export interface ServiceDefinition {
  name: ServiceName;
  title: string;
  description: string;
  /** URL prefix of every route, e.g. /api/shop. */
  prefix: string;
  /** Folder of the service's own SQL migrations. */
  migrations: URL;
  /** The service sends e-mail: its database gets the platform's e-mail outbox (src/platform/mail). */
  mail?: boolean;
  create(ctx: ServiceContext): Promise<ServiceParts>;
}

export const PLATFORM_MIGRATIONS = new URL('./migrations/', import.meta.url);

export async function migrateService(def: ServiceDefinition, db: Db): Promise<string[]> {
  return migrate(db, [
    { label: 'platform', dir: fileURLToPath(PLATFORM_MIGRATIONS) },
    ...(def.mail ? [{ label: 'mail', dir: fileURLToPath(MAIL_MIGRATIONS) }] : []),
    { label: def.name, dir: fileURLToPath(def.migrations) },
  ]);
}

export interface RunningService {
  def: ServiceDefinition;
  ctx: ServiceContext;
  relay: OutboxRelay;
  consumer: InboxConsumer;
  /** Stops taking messages and finishes the ones in flight; the relay finishes its batch. */
  stop(): Promise<void>;
}

/**
 * Starts one service on an HTTP server that may host others (embedded mode) or only it
 * (distributed mode): migrations, routes with their OpenAPI document, the outbox relay and the
 * inbox consumer.
 */
export async function startService(
  def: ServiceDefinition,
  ctx: ServiceContext,
  app: FastifyInstance,
  opts: { instanceId: string; seed?: boolean },
): Promise<RunningService> {
  const applied = await reportIfSlow(ctx.logger, 'applying migrations', migrateService(def, ctx.db));
  if (applied.length > 0) ctx.logger.info({ applied }, 'migrations applied');
  const parts = await def.create(ctx);
  setStatusLogger(def.name, ctx.logger);
  if (opts.seed) await parts.seed?.();

  const faults = noFaults();
  const consumer = new InboxConsumer({
    faults,
    db: ctx.db,
    transport: ctx.transport,
    logger: ctx.logger,
    consumer: def.name,
    handlers: parts.handlers,
    ...(parts.channel ? { channel: parts.channel } : {}),
    ...(parts.serialTypes ? { serialTypes: parts.serialTypes } : {}),
    maxAttempts: ctx.config.MESSAGING_MAX_ATTEMPTS,
    retryDelaysMs: ctx.config.MESSAGING_RETRY_DELAYS_MS,
    prefetch: parts.prefetch ?? ctx.config.MESSAGING_PREFETCH,
    lingerMs: ctx.config.MESSAGING_LINGER_MS,
  });
  const relay = new OutboxRelay({
    db: ctx.db,
    transport: ctx.transport,
    logger: ctx.logger,
    owner: `${def.name}:${opts.instanceId}`,
    service: def.name,
    faults,
    batchSize: ctx.config.RELAY_BATCH_SIZE,
    batchIntervalMs: ctx.config.RELAY_BATCH_INTERVAL_MS,
    lingerMs: ctx.config.RELAY_LINGER_MS,
    pollMs: ctx.config.RELAY_POLL_MS,
  });

  await app.register(
    async (scope) => {
      if (ctx.config.METRICS)
        registerHttpMetrics(scope, { service: def.name, channel: parts.channel ?? 'internal' });
      if (!ctx.config.OTEL_SDK_DISABLED) registerOrderTagging(scope);
      await scope.register(swagger, {
        openapi: {
          info: { title: def.title, description: def.description, version: '1.0.0' },
          components: {
            securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
          },
        },
      });
      await parts.routes(scope);
      registerOpsRoutes(scope, {
        db: ctx.db,
        readDb: ctx.readDb,
        transport: ctx.transport,
        config: ctx.config,
        relay,
        consumer,
        faults,
      });
      scope.get('/openapi.json', { schema: { hide: true } }, async () => scope.swagger());
    },
    { prefix: def.prefix },
  );

  const removeScrape = ctx.config.METRICS
    ? addScrapeSource(serviceScrapeSource(def.name, ctx.db, ctx.readDb))
    : () => undefined;
  await reportIfSlow(ctx.logger, 'declaring and subscribing to the queue', consumer.start());
  await reportIfSlow(ctx.logger, 'starting the outbox relay', relay.start());
  // PGlite has no autovacuum to summarize the BRIN indexes' new ranges (see brin-upkeep.ts).
  const stopBrinUpkeep =
    ctx.db.engine === 'pglite'
      ? runEvery(BRIN_UPKEEP_MS, () => summarizeBrinRanges(ctx.db), ctx.logger, 'summarizing BRIN ranges')
      : async () => undefined;
  return {
    def,
    ctx,
    relay,
    consumer,
    async stop() {
      removeScrape();
      await stopBrinUpkeep();
      await consumer.stop();
      await relay.stop();
      await parts.close?.();
    },
  };
}
