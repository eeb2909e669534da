/**
 * The distributed mode for a test: `atelier cluster` on the local PostgreSQL and RabbitMQ with
 * its own databases, broker namespace and storage folder, all removed by `destroy`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropCluster, startCluster, type Cluster } from '../../src/cli/cluster.js';
import { AMQP_URL, PG_ADMIN_URL, requireServer } from './servers.js';

export interface TestCluster extends Cluster {
  /** Stops the processes (once) and drops the databases, queues and files. */
  destroy(): Promise<void>;
}

export async function startTestCluster(o: {
  label: string;
  instances?: Record<string, number>;
  retryTiersMs: number[];
  env?: Record<string, string>;
}): Promise<TestCluster> {
  await requireServer('PostgreSQL', PG_ADMIN_URL);
  await requireServer('RabbitMQ', AMQP_URL);
  const suffix = randomBytes(3).toString('hex');
  const prefix = `atelier_t_${o.label}_${suffix}`;
  const namespace = `atelier-test-${suffix}`;
  const storageDir = mkdtempSync(join(tmpdir(), `atelier-${o.label}-`));
  const cleanUp = () =>
    dropCluster({
      pgUrl: PG_ADMIN_URL,
      amqpUrl: AMQP_URL,
      dbPrefix: prefix,
      namespace,
      storageDir,
      retryTiersMs: o.retryTiersMs,
    });
  let cluster: Cluster;
  try {
    cluster = await startCluster({
      pgUrl: PG_ADMIN_URL,
      amqpUrl: AMQP_URL,
      dbPrefix: prefix,
      instances: o.instances ?? {},
      basePort: 4700 + Math.floor(Math.random() * 600),
      storageDir,
      output: 'ignore',
      env: {
        MESSAGING_NAMESPACE: namespace,
        MESSAGING_RETRY_DELAYS_MS: o.retryTiersMs.join(','),
        RELAY_POLL_MS: '200',
        ...o.env,
      },
    });
  } catch (err) {
    await cleanUp();
    throw err;
  }
  let stopped: Promise<void> | undefined;
  const stop = () => (stopped ??= cluster.stop());
  return {
    ...cluster,
    stop,
    async destroy() {
      await stop();
      await cleanUp();
    },
  };
}
