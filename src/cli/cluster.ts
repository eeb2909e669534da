import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { deleteNamespace } from '../platform/messaging/amqp-admin.js';
import { packageRoot } from './host.js';
import { SERVICES, SERVICE_NAMES } from './services.js';
import { usablePorts } from '../platform/http/fetch-ports.js';

export interface ClusterOptions {
  /** PostgreSQL server URL (any database); one database per service is created on it. */
  pgUrl: string;
  amqpUrl: string;
  /** Database names are `<dbPrefix>_<service>`. */
  dbPrefix: string;
  instances: Record<string, number>;
  /** The services to start (default: all); the others' ports stay reserved for them. */
  services?: readonly string[];
  basePort: number;
  /** Shared model storage folder (every process reads and writes models there). */
  storageDir: string;
  logLevel?: string;
  env?: Record<string, string>;
  /** Where each process's output goes: inherited, or dropped. */
  output?: 'inherit' | 'ignore';
}

export interface Cluster {
  urls: Record<string, string[]>;
  /** The simulator's per-service URL lists (comma-separated instances). */
  simulateUrls: { shop: string; partner: string; crm: string; mes: string; tracker: string };
  processes: { service: string; url: string; child: ChildProcess }[];
  stop(): Promise<void>;
}

export function databaseUrl(pgUrl: string, name: string): string {
  const u = new URL(pgUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The database of one service in a cluster whose databases are named `<dbPrefix>_<service>`. */
export function clusterDatabase(dbPrefix: string, service: string): string {
  return `${dbPrefix}_${service.replace(/-/g, '_')}`;
}

/**
 * Removes what a throwaway cluster (tests, benchmarks) left on the shared servers: its broker
 * namespace (every service's queues, and any extra consumers a caller bound), its databases and
 * its model folder. The processes must have stopped.
 */
export async function dropCluster(o: {
  pgUrl: string;
  amqpUrl: string;
  dbPrefix: string;
  namespace: string;
  storageDir: string;
  retryTiersMs: readonly number[];
  extraConsumers?: readonly string[];
}): Promise<void> {
  // Each step runs whatever became of the one before (a broker that is down leaves no databases).
  const steps = [
    () =>
      deleteNamespace(
        o.amqpUrl,
        o.namespace,
        [...SERVICE_NAMES, ...(o.extraConsumers ?? [])],
        o.retryTiersMs,
      ),
    async () => {
      const admin = new pg.Client({ connectionString: o.pgUrl });
      await admin.connect();
      try {
        for (const s of SERVICE_NAMES)
          await admin.query(
            `DROP DATABASE IF EXISTS ${pg.escapeIdentifier(clusterDatabase(o.dbPrefix, s))} WITH (FORCE)`,
          );
      } finally {
        await admin.end();
      }
    },
    async () => rmSync(o.storageDir, { recursive: true, force: true }),
  ];
  const failures: unknown[] = [];
  for (const step of steps) await step().catch((err: unknown) => failures.push(err));
  if (failures.length > 0) throw new AggregateError(failures, 'could not remove every part of the cluster');
}

async function ensureDatabases(pgUrl: string, names: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: pgUrl });
  await c.connect();
  try {
    for (const name of names) {
      const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    }
  } finally {
    await c.end();
  }
}

/** The last lines a process wrote, kept to explain a start that failed when its output is dropped. */
const TAIL_LINES = 30;

function keepTail(child: ChildProcess): () => string {
  const lines: string[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    lines.push(...chunk.split('\n').filter((l) => l.trim() !== ''));
    lines.splice(0, Math.max(0, lines.length - TAIL_LINES));
  });
  return () => (lines.length ? `; its last output:\n${lines.join('\n')}` : '; it wrote nothing');
}

async function waitHealthy(
  url: string,
  child: ChildProcess,
  tail: () => string,
  timeoutMs = 60_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < end) {
    if (child.exitCode !== null)
      throw new Error(`${url}: the process exited with code ${child.exitCode} while starting${tail()}`);
    try {
      // Bounded: a port held by something that accepts and never answers must not stall the wait.
      const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (err) {
      last = (err as Error).message; // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url}/health did not answer within ${timeoutMs} ms (last: ${last})${tail()}`);
}

/**
 * The distributed mode on one machine: every service instance its own `atelier serve` process,
 * each service its own PostgreSQL database, RabbitMQ between them.
 */
export async function startCluster(o: ClusterOptions): Promise<Cluster> {
  const names = SERVICE_NAMES.map((s) => clusterDatabase(o.dbPrefix, s));
  await ensureDatabases(o.pgUrl, names);
  mkdirSync(o.storageDir, { recursive: true });
  const bin = join(packageRoot(), 'bin', 'atelier.js');
  const processes: Cluster['processes'] = [];
  const urls: Record<string, string[]> = {};
  // Ports in service order, each instance the next one; every process learns where the first
  // instance of each service answers (the shop and partner API ask pricing for quotes, the
  // tracker reads every service).
  // Ports fetch refuses (5060, 5061, 6000…) are skipped: nothing could reach a service there.
  const count = (service: string) => o.instances[service] ?? 1;
  const ports = usablePorts(
    o.basePort,
    SERVICE_NAMES.reduce((n, s) => n + count(s), 0),
  );
  const portsOf = new Map<string, number[]>();
  for (const service of SERVICE_NAMES) portsOf.set(service, ports.splice(0, count(service)));
  const firstUrl: Record<string, string> = {};
  for (const service of SERVICE_NAMES)
    firstUrl[`${service.toUpperCase().replace(/-/g, '_')}_URL`] =
      `http://127.0.0.1:${portsOf.get(service)?.[0] ?? o.basePort}`;
  const tails = new Map<ChildProcess, () => string>();
  for (const service of SERVICE_NAMES) {
    if (o.services && !o.services.includes(service)) continue;
    for (const port of portsOf.get(service) ?? []) {
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        ...o.env,
        PORT: String(port),
        AMQP_URL: o.amqpUrl,
        DATABASE_URL: databaseUrl(o.pgUrl, clusterDatabase(o.dbPrefix, service)),
        STORAGE: 'disk',
        STORAGE_DIR: o.storageDir,
        ...firstUrl,
        LOG_LEVEL: o.logLevel ?? 'warn',
      };
      for (const s of SERVICE_NAMES) {
        delete env[`${s.toUpperCase().replace(/-/g, '_')}_DATABASE_URL`];
        delete env[`${s.toUpperCase().replace(/-/g, '_')}_READ_DATABASE_URL`];
      }
      delete env.READ_DATABASE_URL;
      // Dropped output is still read, its last lines kept for the error of a failed start.
      const child = spawn(process.execPath, [bin, 'serve', service], {
        env,
        stdio: ['ignore', o.output === 'ignore' ? 'pipe' : 'inherit', 'inherit'],
      });
      const url = `http://127.0.0.1:${port}${SERVICES[service]?.prefix ?? ''}`;
      processes.push({ service, url, child });
      tails.set(child, keepTail(child));
      (urls[service] ??= []).push(`http://127.0.0.1:${port}`);
    }
  }
  const stop = async () => {
    await Promise.all(
      processes.map(
        ({ child }) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
          }),
      ),
    );
  };
  try {
    // Migrations take an advisory lock, so instances of one service may start together.
    await Promise.all(processes.map((p) => waitHealthy(p.url, p.child, tails.get(p.child) ?? (() => ''))));
  } catch (err) {
    await stop();
    throw err;
  }
  const list = (svc: string) => (urls[svc] ?? []).join(',');
  return {
    urls,
    simulateUrls: {
      shop: list('shop'),
      partner: list('partner-api'),
      crm: list('crm'),
      mes: list('mes'),
      tracker: list('tracker'),
    },
    processes,
    stop,
  };
}

/** Registers a partner through the administrator endpoint and returns its new API key. */
export async function issuePartnerKey(
  cluster: Cluster,
  name: string,
  adminToken = 'atelier-admin',
): Promise<string> {
  const res = await fetch(`${cluster.urls['partner-api']?.[0]}/api/partner/admin/partners`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  const body = (await res.json()) as { apiKey?: string; message?: string };
  if (res.status !== 201 || !body.apiKey)
    throw new Error(`could not register partner ${name}: ${res.status} ${body.message}`);
  return body.apiKey;
}
