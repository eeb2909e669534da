/**
 * The distributed mode as the benchmarks run it: every service (or the ones named) its own
 * process on fresh databases of the local PostgreSQL and a namespace of its own on RabbitMQ,
 * a partner key, and a `close` that leaves nothing behind.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  clusterDatabase,
  databaseUrl,
  dropCluster,
  issuePartnerKey,
  startCluster,
} from '../src/cli/cluster.js';
import { loadConfig } from '../src/platform/config.js';
import { runSimulation } from '../src/cli/simulate/run.js';
import type { OrderStatus } from '../src/contracts/order-status.js';

export const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const AMQP = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';

/** A database of the bench's cluster, by its prefix and service. */
export function benchDatabaseUrl(prefix: string, service: string): string {
  return databaseUrl(PG, clusterDatabase(prefix, service));
}

/** Drops a bench cluster's databases, broker namespace (and `extraConsumers`' queues) and files. */
export function dropBenchCluster(
  prefix: string,
  namespace: string,
  storageDir: string,
  extraConsumers: readonly string[] = [],
): Promise<void> {
  return dropCluster({
    pgUrl: PG,
    amqpUrl: AMQP,
    dbPrefix: prefix,
    namespace,
    storageDir,
    retryTiersMs: loadConfig({}).MESSAGING_RETRY_DELAYS_MS,
    extraConsumers,
  });
}

/** A started cluster with its databases and broker namespace, torn down by `close`. */
export async function openCluster(env: Record<string, string>, services?: readonly string[]) {
  const suffix = randomBytes(3).toString('hex');
  const prefix = `atelier_bench_${suffix}`;
  const namespace = `atelier-bench-${suffix}`;
  const storageDir = mkdtempSync(join(tmpdir(), 'atelier-bench-'));
  console.error(`Starting the distributed mode (databases ${prefix}_*) …`);
  const close = () => dropBenchCluster(prefix, namespace, storageDir);
  try {
    const cluster = await startCluster({
      pgUrl: PG,
      amqpUrl: AMQP,
      dbPrefix: prefix,
      instances: {},
      basePort: 5100,
      ...(services ? { services } : {}),
      storageDir,
      output: 'ignore',
      env: { MESSAGING_NAMESPACE: namespace, RELAY_POLL_MS: '200', LOG_LEVEL: 'error', ...env },
    });
    const apiKey = await issuePartnerKey(cluster, 'bench');
    return {
      cluster,
      prefix,
      apiKey,
      async close() {
        await cluster.stop();
        await close();
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * `simulate` with the benchmarks' mix (60% catalog, 20% custom STL, 20% partner STL) at `rate`
 * orders/s for `seconds`, no operators, each order followed until it reaches `target`.
 */
export function simulateMix(
  c: Awaited<ReturnType<typeof openCluster>>,
  rate: number,
  seconds: number,
  target: OrderStatus,
) {
  return runSimulation({
    orders: rate * seconds,
    rate,
    baseUrl: '',
    urls: c.cluster.simulateUrls,
    deadlineSeconds: 60,
    operators: 0,
    partnerKey: c.apiKey,
    carrierToken: 'atelier-carrier',
    adminToken: 'atelier-admin',
    customShare: 0.2,
    partnerShare: 0.2,
    progress: false,
    target,
  });
}
