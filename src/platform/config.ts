/**
 * Configuration from the environment, read and checked once at start. Every variable is
 * declared here with its type, default and meaning; `atelier config` prints this table and the
 * README's configuration reference is generated from it. A wrong value stops the process with a
 * message naming the variable and what it expects.
 */
import { isFetchBlockedPort } from './http/fetch-ports.js';

export interface VarSpec {
  description: string;
  default?: string;
  kind: 'string' | 'int' | 'port' | 'bool' | 'url' | 'list-int' | 'enum';
  values?: readonly string[];
  min?: number;
  secret?: boolean;
}

export const VARIABLES = {
  HOST: { kind: 'string', default: '127.0.0.1', description: 'Interface the HTTP server listens on.' },
  PORT: {
    kind: 'port',
    default: '3000',
    description: "HTTP port (0 picks a free one); not one of the Fetch standard's bad ports.",
  },
  DATA_DIR: {
    kind: 'string',
    default: './data',
    description: 'Embedded mode: where the PGlite databases, the embedded broker and uploaded models live.',
  },
  DATABASE_URL: {
    kind: 'url',
    description:
      'PostgreSQL URL of a service, in any mode (unset: embedded PGlite under DATA_DIR). Per-service variables SHOP_DATABASE_URL, PARTNER_API_DATABASE_URL, CRM_DATABASE_URL, MES_DATABASE_URL, PRICING_DATABASE_URL, TRACKER_DATABASE_URL win over it. One database holds one service: a command that runs several (`up`, `migrate` of more than one) refuses it for any service without its own variable.',
  },
  DATABASE_POOL_SIZE: {
    kind: 'int',
    default: '10',
    min: 1,
    description: 'Connections per service instance.',
  },
  AMQP_URL: {
    kind: 'url',
    description:
      'RabbitMQ URL. When set, services talk through RabbitMQ; otherwise through the embedded broker.',
  },
  AMQP_BATCH_MESSAGES: {
    kind: 'bool',
    default: 'true',
    description:
      'Envelopes of one routing key in a relay batch go out as one RabbitMQ message (false: one message each, for a rolling upgrade from a version whose consumers cannot read batch messages; every version since reads both).',
  },
  MESSAGING_NAMESPACE: {
    kind: 'string',
    default: 'atelier',
    description: 'Prefix of every RabbitMQ exchange and queue, so several platforms can share one broker.',
  },
  BROKER_DATABASE_URL: {
    kind: 'url',
    description:
      'Distributed mode without RabbitMQ: PostgreSQL URL for the database-backed broker shared by the processes.',
  },
  STORAGE: {
    kind: 'enum',
    values: ['disk', 's3'],
    default: 'disk',
    description: 'Where uploaded 3D models are stored.',
  },
  STORAGE_DIR: { kind: 'string', description: 'Disk storage folder (default: <DATA_DIR>/files).' },
  S3_ENDPOINT: { kind: 'url', description: 'S3 endpoint (for MinIO or another S3-compatible store).' },
  S3_BUCKET: { kind: 'string', default: 'atelier-models', description: 'S3 bucket for models.' },
  S3_REGION: { kind: 'string', default: 'us-east-1', description: 'S3 region.' },
  S3_ACCESS_KEY_ID: { kind: 'string', secret: true, description: 'S3 access key.' },
  S3_SECRET_ACCESS_KEY: { kind: 'string', secret: true, description: 'S3 secret key.' },
  MODEL_MAX_BYTES: {
    kind: 'int',
    default: String(64 * 1024 * 1024),
    min: 84,
    description: 'Largest accepted model upload in bytes.',
  },
  MODEL_MAX_TRIANGLES: {
    kind: 'int',
    default: '5000000',
    min: 1,
    description: 'Largest accepted model in triangles (checked before any memory is allocated for it).',
  },
  PRICING_THREADS: {
    kind: 'int',
    default: '0',
    min: 0,
    description: 'Worker threads of the pricing pool in each pricing process (0: one per core).',
  },
  PRICING_CONCURRENCY: {
    kind: 'int',
    default: '0',
    min: 0,
    description:
      'Orders one pricing process takes from the queue at once (each holds its model in memory); 0: one more than its worker threads, enough to keep them busy without holding jobs an idle process could take.',
  },
  PRICING_TASK_TIMEOUT_MS: {
    kind: 'int',
    default: '30000',
    min: 10,
    description:
      'A pricing task running longer is stopped (its worker terminated) and retried on another worker.',
  },
  PRICING_TASK_ATTEMPTS: {
    kind: 'int',
    default: '3',
    min: 1,
    description: 'Tries per pricing task before the order is marked PRICING_FAILED for staff.',
  },
  PRICING_FAULT: {
    kind: 'enum',
    values: ['none', 'crash', 'hang'],
    default: 'none',
    description: 'Fault injection for tests and drills: every pricing task crashes its worker or hangs.',
  },
  PRICING_URL: {
    kind: 'url',
    description:
      'Distributed mode: base URL of the pricing service, which the shop and the partner API ask for quotes (embedded mode uses its own server).',
  },
  SHOP_URL: {
    kind: 'url',
    description:
      'Distributed mode: base URL of a shop instance, where the tracker reads what the shop knows (embedded mode uses its own server).',
  },
  PARTNER_API_URL: {
    kind: 'url',
    description: 'Distributed mode: base URL of a partner API instance (for the tracker).',
  },
  CRM_URL: { kind: 'url', description: 'Distributed mode: base URL of a CRM instance (for the tracker).' },
  MES_URL: { kind: 'url', description: 'Distributed mode: base URL of an MES instance (for the tracker).' },
  TRACING_UI_URL: {
    kind: 'string',
    description:
      'Link from an order journey to its trace in a tracing UI; {traceId} is replaced (e.g. http://localhost:16686/trace/{traceId} for Jaeger, or a Grafana Tempo explore URL). Unset: no link.',
  },
  TRACKER_SWEEP_MS: {
    kind: 'int',
    default: '1000',
    min: 50,
    description:
      'How often the tracker looks for orders past a stage deadline (an incident opens within this of the deadline).',
  },
  TRACKER_RECONCILE_MS: {
    kind: 'int',
    default: '15000',
    min: 100,
    description:
      'How often the tracker compares what every service knows (lost events) and reads their dead letters.',
  },
  TRACKER_LOST_GRACE_MS: {
    kind: 'int',
    default: '60000',
    min: 0,
    description:
      'How long an event may take to reach every service that consumes it before the tracker calls it lost.',
  },
  ADMIN_TOKEN: {
    kind: 'string',
    default: 'atelier-admin',
    secret: true,
    description: 'Bearer token for administrator endpoints (partner keys). Change it outside a laptop.',
  },
  CARRIER_TOKEN: {
    kind: 'string',
    default: 'atelier-carrier',
    secret: true,
    description: 'Bearer token the carrier uses to confirm deliveries.',
  },
  DEMO_PARTNER_KEY: {
    kind: 'string',
    default: 'demo-partner-key',
    secret: true,
    description: 'API key of the demo partner seeded in embedded mode (empty: seed none).',
  },
  CURRENCY: {
    kind: 'string',
    default: 'EUR',
    description:
      'Currency (ISO 4217) of the CRM auto-approval limit, and of a shop order whose piece has no list price. Prices themselves carry the currency of the price list and catalog (EUR in the seeded ones).',
  },
  CRM_AUTO_APPROVE_CATALOG: {
    kind: 'bool',
    default: 'true',
    description: 'Catalog orders are approved without a seller.',
  },
  CRM_AUTO_APPROVE_LIMIT_MINOR: {
    kind: 'int',
    default: '150000',
    min: 0,
    description:
      'Custom orders priced below this (minor units) are approved without a seller; 0 turns it off.',
  },
  READ_DATABASE_URL: {
    kind: 'url',
    description:
      'Distributed mode: a read replica of the service database, for the reads that may lag by a moment (the MES workspace lists and counts). MES_READ_DATABASE_URL wins over it. Unset: reads go to the primary.',
  },
  PRODUCTION_DEADLINE_DAYS: {
    kind: 'int',
    default: '21',
    min: 1,
    description:
      'Days from submission by which the MES must ship an order: its deadline in the workspace ("overdue" after it) and the assigner\'s first criterion.',
  },
  ASSIGN_INTERVAL_MS: {
    kind: 'int',
    default: '5000',
    min: 100,
    description:
      'How often the MES assigner also sweeps the queue (it runs at once whenever an order is approved or an operator frees capacity).',
  },
  SMTP_URL: {
    kind: 'string',
    secret: true,
    description:
      'SMTP server for e-mail to operators who ask for it (e.g. smtp://user:pass@mail.example.com:587). Unset: no e-mail.',
  },
  MAIL_FROM: {
    kind: 'string',
    default: 'Atelier <atelier@localhost>',
    description: 'Sender of the e-mails Atelier sends.',
  },
  REDIS_URL: {
    kind: 'url',
    description:
      'Redis for the MES workspace cache (the counts and the default first page); unset: no cache. The README gives the measured gain.',
  },
  WORKSPACE_POLL_MS: {
    kind: 'int',
    default: '200',
    min: 20,
    description:
      'How often each MES instance reads new workspace changes to push to open workspaces (live feed latency).',
  },
  MESSAGING_MAX_ATTEMPTS: {
    kind: 'int',
    default: '5',
    min: 1,
    description: 'Handling attempts before a message goes to the dead-letter store.',
  },
  MESSAGING_RETRY_DELAYS_MS: {
    kind: 'list-int',
    default: '250,1000,5000,15000',
    description: 'Backoff before each retry (the last repeats).',
  },
  MESSAGING_PREFETCH: {
    kind: 'int',
    default: '32',
    min: 1,
    description: 'Messages one consumer instance handles at once.',
  },
  MESSAGING_LINGER_MS: {
    kind: 'int',
    default: '40',
    min: 0,
    description:
      'Longest wait, from the oldest waiting message, for more messages to join a consumer’s batch (one transaction for all); it ends early once no more can come. 0 handles each message at once.',
  },
  RELAY_BATCH_SIZE: { kind: 'int', default: '200', min: 1, description: 'Outbox rows published per batch.' },
  RELAY_BATCH_INTERVAL_MS: {
    kind: 'int',
    default: '20',
    min: 0,
    description:
      'Least time between the starts of two outbox batches: under load, rows committed meanwhile go out together (one publish round and two statements for many rows).',
  },
  RELAY_LINGER_MS: {
    kind: 'int',
    default: '40',
    min: 0,
    description:
      'How long a relay woken by a commit waits for more commits before it publishes, so that rows committed close together go out in one batch. 0 publishes at once.',
  },
  RELAY_POLL_MS: {
    kind: 'int',
    default: '500',
    min: 10,
    description:
      'How often a relay looks for outbox rows its own process did not announce (another instance’s, or an expired lease).',
  },
  SHUTDOWN_TIMEOUT_MS: {
    kind: 'int',
    default: '10000',
    min: 0,
    description: 'Longest wait for in-flight work on shutdown.',
  },
  LOG_LEVEL: {
    kind: 'enum',
    values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'],
    default: 'info',
    description: 'Log level.',
  },
  METRICS: {
    kind: 'bool',
    default: 'true',
    description:
      'Prometheus metrics: `GET /metrics` on every server and the per-request timing behind it (false: neither, to measure their cost).',
  },
  OTEL_SDK_DISABLED: {
    kind: 'bool',
    default: 'false',
    description:
      'OpenTelemetry standard switch: true (or 1) turns tracing off (no spans, no trace ids in logs or the outbox).',
  },
  OTEL_EXPORTER_OTLP_ENDPOINT: {
    kind: 'url',
    description:
      'OTLP/HTTP endpoint (e.g. http://otel-collector:4318) that spans are sent to; unset: spans are made (their ids reach logs and the outbox) but not exported.',
  },
  OTEL_EXPORTER_OTLP_PROTOCOL: {
    kind: 'enum',
    values: ['http/protobuf', 'http/json'],
    default: 'http/protobuf',
    description: 'How spans are sent to OTEL_EXPORTER_OTLP_ENDPOINT.',
  },
  OTEL_TRACES_SAMPLER: {
    kind: 'enum',
    values: [
      'parentbased_always_on',
      'parentbased_traceidratio',
      'parentbased_always_off',
      'always_on',
      'always_off',
      'traceidratio',
    ],
    default: 'parentbased_always_on',
    description:
      'Which traces record spans (a trace not sampled keeps its ids in logs and journeys, but exports nothing).',
  },
  OTEL_TRACES_SAMPLER_ARG: {
    kind: 'string',
    default: '1',
    description: 'The ratio for the traceidratio samplers, 0..1 (e.g. 0.1: one trace in ten).',
  },
  OTEL_SERVICE_NAME: {
    kind: 'string',
    description: 'Service name on exported spans (default: atelier-<service>, or atelier for `atelier up`).',
  },
} as const satisfies Record<string, VarSpec>;

type Vars = typeof VARIABLES;
type ValueOf<S extends VarSpec> = S['kind'] extends 'int' | 'port'
  ? number
  : S['kind'] extends 'bool'
    ? boolean
    : S['kind'] extends 'list-int'
      ? number[]
      : string;
export type Config = {
  [K in keyof Vars]: Vars[K] extends { default: string } ? ValueOf<Vars[K]> : ValueOf<Vars[K]> | undefined;
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CONFIG_INVALID';
}

function parseOne(name: string, spec: VarSpec, raw: string): string | number | boolean | number[] {
  const fail = (expected: string): never => {
    throw new ConfigError(
      `${name}=${spec.secret ? '<hidden>' : JSON.stringify(raw)} is invalid: expected ${expected}. ${spec.description}`,
    );
  };
  switch (spec.kind) {
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) fail('a whole number');
      const n = Number(raw);
      if (spec.min !== undefined && n < spec.min) fail(`a whole number >= ${spec.min}`);
      return n;
    }
    case 'port': {
      if (!/^\d+$/.test(raw.trim()) || Number(raw) > 65535) fail('a port number from 0 to 65535');
      const port = Number(raw);
      // Browsers and Node's fetch refuse these before connecting ("fetch failed"), so nothing
      // could reach the service: the web app, `simulate`, the other services.
      if (isFetchBlockedPort(port))
        fail(`a port fetch clients may connect to (${port} is one of the Fetch standard's bad ports)`);
      return port;
    }
    case 'bool':
      if (!['true', 'false', '1', '0'].includes(raw.toLowerCase())) fail('true or false');
      return ['true', '1'].includes(raw.toLowerCase());
    case 'list-int': {
      const parts = raw.split(',').map((s) => s.trim());
      if (parts.length === 0 || parts.some((p) => !/^\d+$/.test(p)))
        fail('comma-separated whole numbers, e.g. 250,1000');
      return parts.map(Number);
    }
    case 'url':
      try {
        new URL(raw);
      } catch {
        fail(
          'a URL such as postgres://postgres@127.0.0.1:5432/atelier_shop or amqp://guest:guest@127.0.0.1:5672',
        );
      }
      return raw;
    case 'enum':
      if (!spec.values?.includes(raw)) fail(`one of ${spec.values?.join(', ')}`);
      return raw;
    default:
      return raw;
  }
}

/** Reads every variable; collects all problems and throws one ConfigError listing them. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(VARIABLES) as [string, VarSpec][]) {
    const raw = env[name];
    const value = raw === undefined || raw === '' ? spec.default : raw;
    if (value === undefined) continue;
    try {
      out[name] = parseOne(name, spec, value);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length > 0) throw new ConfigError(`Configuration error:\n  - ${problems.join('\n  - ')}`);
  return out as Config;
}

/** The per-service database URL variable, e.g. PARTNER_API_DATABASE_URL. */
export function databaseUrlFor(service: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const specific = env[`${service.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`];
  if (specific) {
    parseOne(`${service.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`, VARIABLES.DATABASE_URL, specific);
    return specific;
  }
  return env.DATABASE_URL || undefined;
}

/**
 * The read-replica URL of a service: <SERVICE>_READ_DATABASE_URL (e.g. MES_READ_DATABASE_URL),
 * else READ_DATABASE_URL, else none (reads go to the primary). Read from the environment like
 * databaseUrlFor, so the per-service variable is checked here, where it is read.
 */
export function readDatabaseUrlFor(
  service: string,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const name = `${service.toUpperCase().replace(/-/g, '_')}_READ_DATABASE_URL`;
  const specific = env[name];
  if (specific) return parseOne(name, VARIABLES.READ_DATABASE_URL, specific) as string;
  const shared = env.READ_DATABASE_URL;
  return shared ? (parseOne('READ_DATABASE_URL', VARIABLES.READ_DATABASE_URL, shared) as string) : undefined;
}
