/** The whole lifecycle in embedded mode, driven through the public APIs by `atelier simulate`. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSimulation } from '../../src/cli/simulate/run.js';
import { startEmbedded } from '../support/embedded.js';

test('embedded mode: every simulated order reaches CLOSED, none lost, none duplicated', async () => {
  // A low auto-approval limit sends some custom orders to the (simulated) seller.
  const platform = await startEmbedded({ CRM_AUTO_APPROVE_LIMIT_MINOR: '20000' });
  try {
    const summary = await runSimulation({
      orders: 120,
      rate: 40,
      baseUrl: platform.url,
      urls: {},
      deadlineSeconds: 90,
      operators: 3,
      partnerKey: 'demo-partner-key',
      carrierToken: 'atelier-carrier',
      adminToken: 'atelier-admin',
      customShare: 0.4,
      progress: false,
    });
    assert.equal(summary.ordersPlaced, 120, JSON.stringify(summary.placementFailureSamples));
    assert.equal(summary.lost, 0, `lost: ${JSON.stringify(summary.lostSamples)}`);
    assert.equal(summary.duplicates, 0);
    assert.equal(summary.serverErrors, 0);
    assert.equal(summary.finalStatus.CLOSED, 120);
    assert.ok(
      summary.byChannel.partner > 0 &&
        summary.byChannel['shop-catalog'] > 0 &&
        summary.byChannel['shop-custom'] > 0,
    );
    assert.ok(summary.staff.approvals > 0, 'some orders needed a seller');
    assert.equal(summary.reached.FILE_UPLOADED, summary.byChannel['shop-custom']);
  } finally {
    await platform.destroy();
  }
});

test('a simulation with an earlier target: operators take orders that far and no further', async () => {
  const platform = await startEmbedded({});
  try {
    const summary = await runSimulation({
      orders: 12,
      rate: 20,
      baseUrl: platform.url,
      urls: {},
      deadlineSeconds: 60,
      operators: 2,
      partnerKey: 'demo-partner-key',
      carrierToken: 'atelier-carrier',
      adminToken: 'atelier-admin',
      customShare: 0.3,
      progress: false,
      target: 'MANUFACTURING_STARTED',
    });
    assert.equal(summary.ordersPlaced, 12, JSON.stringify(summary.placementFailureSamples));
    assert.equal(summary.lost, 0, `lost: ${JSON.stringify(summary.lostSamples)}`);
    // Before, operators advanced every order they took to SHIPPED, and kept the parcels for a
    // carrier who was never started.
    assert.deepEqual(summary.finalStatus, { MANUFACTURING_STARTED: 12 });
    assert.equal(summary.reached.MANUFACTURING_COMPLETED ?? 0, 0);
  } finally {
    await platform.destroy();
  }
});
