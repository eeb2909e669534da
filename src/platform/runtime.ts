import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { databaseUrlFor, readDatabaseUrlFor, type Config } from './config.js';
import { migrate } from './db/migrate.js';
import { openPg } from './db/pg.js';
import { openPglite } from './db/pglite.js';
import type { Db } from './db/types.js';
import { AmqpTransport } from './messaging/amqp-transport.js';
import { EmbeddedTransport } from './messaging/embedded-transport.js';
import type { Transport } from './messaging/transport.js';
import { DiskStorage } from './storage/disk-storage.js';
import type { FileStorage } from './storage/file-storage.js';
import { S3Storage } from './storage/s3-storage.js';

/**
 * DATABASE_URL names one database: it serves a process that hosts one service (`atelier serve`),
 * never several, whose tables (orders, outbox, inbox, ...) would collide in it. Throws, naming
 * the per-service variables to set instead, when a process is about to open more than one
 * service and some of them would fall back to it.
 */
export function checkSharedDatabaseUrl(
  services: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): void {
  if (services.length < 2 || !env.DATABASE_URL) return;
  const variable = (s: string) => `${s.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;
  const falling = services.filter((s) => !env[variable(s)]);
  if (falling.length === 0) return;
  throw new Error(
    `DATABASE_URL is one database and this command runs ${services.length} services, whose tables would collide in it. ` +
      `Set ${falling.map(variable).join(', ')} (one database each), or unset DATABASE_URL to use the embedded databases.`,
  );
}

/** Embedded mode keeps each service's database in its own folder; distributed mode needs URLs. */
export async function openServiceDb(
  service: string,
  config: Config,
  mode: 'embedded' | 'distributed',
  env: NodeJS.ProcessEnv = process.env,
): Promise<Db> {
  const url = databaseUrlFor(service, env);
  if (url)
    return openPg({
      connectionString: url,
      max: config.DATABASE_POOL_SIZE,
      applicationName: `atelier-${service}`,
    });
  if (mode === 'distributed') {
    const v = `${service.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`;
    throw new Error(
      `No database for ${service}: set ${v} (or DATABASE_URL) to a PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/atelier_${service.replace(/-/g, '_')}`,
    );
  }
  return openPglite(join(config.DATA_DIR, 'db', service));
}

/**
 * The service's read replica (<SERVICE>_READ_DATABASE_URL or READ_DATABASE_URL), in distributed
 * mode only: undefined when none is configured, and the caller reads from the primary. The
 * pool is half the primary's (reads that may lag are a share of the work, not all of it) and
 * read-only, so a write sent to it fails even if the URL points at a writable server. Never
 * migrated: a streaming replica gets its schema from the primary.
 */
export async function openReadDb(
  service: string,
  config: Config,
  mode: 'embedded' | 'distributed',
  env: NodeJS.ProcessEnv = process.env,
): Promise<Db | undefined> {
  if (mode !== 'distributed') return undefined;
  const url = readDatabaseUrlFor(service, env);
  if (!url) return undefined;
  return openPg({
    connectionString: url,
    max: Math.max(2, Math.ceil(config.DATABASE_POOL_SIZE / 2)),
    applicationName: `atelier-${service}-read`,
    readOnly: true,
  });
}

const BROKER_MIGRATIONS = fileURLToPath(new URL('./migrations/broker/', import.meta.url));

export interface OpenedTransport {
  transport: Transport;
  /** The embedded broker's own database, closed after the transport. */
  brokerDb?: Db;
}

/**
 * RabbitMQ when AMQP_URL is set. Otherwise the database-backed broker: on PGlite in the data
 * folder (embedded), or on a shared PostgreSQL database (BROKER_DATABASE_URL) so separate
 * processes can still talk without RabbitMQ.
 */
export async function openTransport(
  config: Config,
  mode: 'embedded' | 'distributed',
  logger: Logger,
): Promise<OpenedTransport> {
  if (config.AMQP_URL) {
    const t = new AmqpTransport({
      url: config.AMQP_URL,
      logger,
      retryTiersMs: config.MESSAGING_RETRY_DELAYS_MS,
      namespace: config.MESSAGING_NAMESPACE,
      batchMessages: config.AMQP_BATCH_MESSAGES,
    });
    await t.start();
    return { transport: t };
  }
  let brokerDb: Db;
  if (config.BROKER_DATABASE_URL)
    brokerDb = await openPg({ connectionString: config.BROKER_DATABASE_URL, max: 4 });
  else if (mode === 'embedded') brokerDb = await openPglite(join(config.DATA_DIR, 'db', 'broker'));
  else
    throw new Error(
      'Distributed mode needs a broker: set AMQP_URL (RabbitMQ) or BROKER_DATABASE_URL (PostgreSQL).',
    );
  await migrate(brokerDb, [{ label: 'broker', dir: BROKER_MIGRATIONS }]);
  const t = new EmbeddedTransport(brokerDb, { logger });
  await t.start();
  return { transport: t, brokerDb };
}

export async function openStorage(config: Config): Promise<FileStorage> {
  if (config.STORAGE === 's3') {
    const s3 = new S3Storage({
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    });
    await s3.ensureBucket();
    return s3;
  }
  return new DiskStorage(config.STORAGE_DIR ?? join(config.DATA_DIR, 'files'));
}
