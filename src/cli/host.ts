import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../platform/config.js';
import type { Db } from '../platform/db/types.js';
import { createHttpServer } from '../platform/http/server.js';
import { onShutdown } from '../platform/lifecycle.js';
import type { Logger } from '../platform/logger.js';
import {
  checkSharedDatabaseUrl,
  openReadDb,
  openServiceDb,
  openStorage,
  openTransport,
} from '../platform/runtime.js';
import { registerMetricsRoute } from '../platform/telemetry/scrape.js';
import { flushTracing } from '../platform/telemetry/tracing.js';
import { startService, type RunningService, type ServiceDefinition } from '../platform/service.js';
import type { ServiceName } from '../contracts/order-status.js';
import { reportIfSlow } from '../platform/slow-step.js';

export interface Host {
  app: FastifyInstance;
  services: RunningService[];
  url: string;
  stop(): Promise<void>;
}

/** The package root: where package.json is, from src/ (tsx) or dist/src/ (built). */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

/**
 * Starts services on one HTTP server: all of them in embedded mode (`atelier up`), one in
 * distributed mode (`atelier serve`). Returns once it listens; stop() shuts down in order.
 */
export async function startHost(opts: {
  defs: ServiceDefinition[];
  config: Config;
  logger: Logger;
  mode: 'embedded' | 'distributed';
  web?: boolean;
  seed?: boolean;
  handleSignals?: boolean;
  /** Where per-service database URLs are read from (tests pass their own). */
  env?: NodeJS.ProcessEnv;
}): Promise<Host> {
  const { config, logger, mode } = opts;
  const { transport, brokerDb } = await reportIfSlow(
    logger,
    'connecting to the broker',
    openTransport(config, mode, logger),
  );
  const storage = await openStorage(config);
  const app = createHttpServer({ logger });
  const dbs: Db[] = [];
  const services: RunningService[] = [];
  // This server's own URL, known once it listens: in embedded mode every service is here.
  const self: { url?: string } = {};
  const selfUrl = () => {
    if (!self.url) throw new Error('The server is not listening yet');
    return self.url;
  };
  // Shutdown in order: stop taking requests, let consumers drain and relays finish their batch,
  // then close connections. Also used when a start fails half-way (a migration error, the port
  // in use), so nothing opened is left behind. A failing step is logged and the rest still run.
  const closeAll = async () => {
    const step = (what: string, p: Promise<unknown> | undefined) =>
      Promise.resolve(p).catch((err: unknown) => logger.warn({ err }, `shutdown: ${what} failed`));
    await step('closing the HTTP server', app.close());
    for (const s of services) await step(`stopping ${s.def.name}`, s.stop());
    await step('closing the transport', transport.close());
    await step('closing storage', storage.close?.());
    for (const db of dbs) await step('closing a database', db.close());
    await step('closing the broker database', brokerDb?.close());
    await step('sending the last spans', flushTracing());
  };
  try {
    const instanceId = randomUUID().slice(0, 8);
    const serviceUrl = (name: ServiceName): string => {
      if (mode === 'embedded' || opts.defs.some((d) => d.name === name)) return selfUrl();
      const variable = `${name.toUpperCase().replace(/-/g, '_')}_URL`;
      const url = (config as unknown as Record<string, string | undefined>)[variable];
      if (!url)
        throw new Error(`The ${name} service's URL is not configured: set ${variable} to its base URL.`);
      return url.replace(/\/$/, '');
    };
    checkSharedDatabaseUrl(
      opts.defs.map((d) => d.name),
      opts.env,
    );
    // Opening the databases is the slow part of a start (PGlite compiles and boots PostgreSQL):
    // do it for every service at once.
    // Every open is awaited, failed or not, so closeAll finds each one that did open.
    const opened = await Promise.allSettled(
      opts.defs.map(async (def) => {
        const db = await reportIfSlow(
          logger,
          `opening the ${def.name} database`,
          openServiceDb(def.name, config, mode, opts.env),
        );
        dbs.push(db);
        // The read replica, when configured; otherwise reads go to the same pool as writes.
        const replica = await openReadDb(def.name, config, mode, opts.env);
        if (replica) dbs.push(replica);
        return { db, readDb: replica ?? db };
      }),
    );
    const failed = opened.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const [i, def] of opts.defs.entries()) {
      const { db, readDb } = (opened[i] as PromiseFulfilledResult<{ db: Db; readDb: Db }>).value;
      const log = logger.child({ service: def.name });
      services.push(
        await startService(
          def,
          { name: def.name, db, readDb, config, logger: log, storage, transport, serviceUrl },
          app,
          {
            instanceId,
            seed: opts.seed ?? false,
          },
        ),
      );
    }
    if (config.METRICS) registerMetricsRoute(app, logger);
    if (opts.web) {
      const root = join(packageRoot(), 'web', 'dist');
      if (existsSync(root)) await app.register(fastifyStatic, { root, wildcard: false });
      else logger.warn({ root }, 'web app not built: run `npm run build` to serve it');
    }
    await reportIfSlow(logger, 'starting to listen', app.listen({ host: config.HOST, port: config.PORT }));
  } catch (err) {
    await closeAll();
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : config.PORT;
  const url = `http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${port}`;
  self.url = url;

  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= closeAll());
  if (opts.handleSignals) onShutdown(logger, config.SHUTDOWN_TIMEOUT_MS, [stop]);
  return { app, services, url, stop };
}
