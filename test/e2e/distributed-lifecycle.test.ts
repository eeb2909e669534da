/**
 * The distributed mode: every service a separate process (two shop, two MES and two pricing
 * instances), each
 * service its own PostgreSQL database, RabbitMQ between them, driven by `atelier simulate`.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { issuePartnerKey } from '../../src/cli/cluster.js';
import { runSimulation } from '../../src/cli/simulate/run.js';
import { startTestCluster } from '../support/cluster.js';

const TIERS = [100, 400, 1600];

test('distributed mode: separate processes on PostgreSQL and RabbitMQ lose and duplicate nothing', async () => {
  const cluster = await startTestCluster({
    label: 'dist',
    instances: { shop: 2, mes: 2, pricing: 2 },
    retryTiersMs: TIERS,
    env: { CRM_AUTO_APPROVE_LIMIT_MINOR: '20000' },
  });
  try {
    const apiKey = await issuePartnerKey(cluster, 'Distributed test partner');
    const summary = await runSimulation({
      orders: 300,
      rate: 60,
      baseUrl: '',
      urls: cluster.simulateUrls,
      deadlineSeconds: 120,
      operators: 4,
      partnerKey: apiKey,
      carrierToken: 'atelier-carrier',
      adminToken: 'atelier-admin',
      customShare: 0.4,
      progress: false,
    });
    assert.equal(summary.ordersPlaced, 300, JSON.stringify(summary.placementFailureSamples));
    assert.equal(summary.lost, 0, `lost: ${JSON.stringify(summary.lostSamples)}`);
    assert.equal(summary.duplicates, 0);
    assert.equal(summary.serverErrors, 0);
    assert.ok(summary.staff.approvals > 0, 'some orders needed a seller');

    // Both processes of a service took messages from their shared queue (competing consumers).
    const handledBy = async (service: string) => {
      const health = await Promise.all(
        cluster.processes
          .filter((p) => p.service === service)
          .map(
            async (p) => (await (await fetch(`${p.url}/health`)).json()) as { consumer: { handled: number } },
          ),
      );
      assert.equal(health.length, 2);
      for (const h of health) assert.ok(h.consumer.handled > 0, `each ${service} instance handled messages`);
      return health.reduce((n, h) => n + h.consumer.handled, 0);
    };
    // submitted + priced + approved + closed (+ rejected/cancelled, none here) for each order, once each.
    assert.equal(await handledBy('mes'), 300 * 4);
    // Every order priced exactly once across the two pricing processes.
    assert.equal(await handledBy('pricing'), 300);
  } finally {
    await cluster.destroy();
  }
});
