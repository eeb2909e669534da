/**
 * `atelier simulate --faults` on the embedded platform: while orders flow, the MES drops every
 * approval and the CRM fails every price for two thirds of them; every order that did not finish
 * must then have an open incident saying where it stopped, and the drill leaves the platform as
 * it found it.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSimulation } from '../../src/cli/simulate/run.js';
import { startEmbedded } from '../support/embedded.js';

const ADMIN = { authorization: 'Bearer atelier-admin' };

test('a fault drill: every order that did not finish has an incident that explains where it stopped', async () => {
  const platform = await startEmbedded({
    CRM_AUTO_APPROVE_LIMIT_MINOR: '20000',
    TRACKER_SWEEP_MS: '250',
    TRACKER_RECONCILE_MS: '1000',
    TRACKER_LOST_GRACE_MS: '3000',
  });
  try {
    const deadlines = async () =>
      (
        (await (await fetch(`${platform.url}/api/tracker/deadlines`)).json()) as {
          items: { status: string; channel: string; seconds: number | null; workingDays: number | null }[];
        }
      ).items.map((d) => `${d.status} ${d.channel} ${d.seconds ?? '-'}s ${d.workingDays ?? '-'}wd`);
    const deadlinesBefore = await deadlines();
    const summary = await runSimulation({
      orders: 30,
      rate: 10,
      baseUrl: platform.url,
      urls: {},
      deadlineSeconds: 25,
      operators: 3,
      partnerKey: 'demo-partner-key',
      carrierToken: 'atelier-carrier',
      adminToken: 'atelier-admin',
      customShare: 0.4,
      progress: false,
      faults: { deadlineSeconds: 5, explainWaitSeconds: 40 },
    });
    const drill = summary.faultDrill;
    assert.ok(drill, 'the summary reports the drill');
    assert.ok(drill.notFinished >= 5, `the faults stopped orders (${drill.notFinished} did not finish)`);
    assert.equal(
      drill.unexplained,
      0,
      `orders stuck with no incident: ${drill.unexplainedSamples.join(', ')}`,
    );
    assert.ok((drill.incidentsByKind.late ?? 0) > 0, JSON.stringify(drill.incidentsByKind));
    assert.ok(
      (drill.incidentsByKind.lost ?? 0) > 0,
      `the dropped approvals: ${JSON.stringify(drill.incidentsByKind)}`,
    );
    assert.ok(
      (drill.incidentsByKind.dead_letter ?? 0) > 0,
      `the failed prices: ${JSON.stringify(drill.incidentsByKind)}`,
    );
    assert.equal(summary.duplicates, 0);
    assert.equal(summary.serverErrors, 0);

    // The drill put everything back.
    assert.deepEqual(await deadlines(), deadlinesBefore);
    for (const service of ['mes', 'crm']) {
      const faults = (await (
        await fetch(`${platform.url}/api/${service}/faults`, { headers: ADMIN })
      ).json()) as {
        failEventType: string | null;
        dropEventType: string | null;
        relayPaused: boolean;
      };
      assert.deepEqual(
        {
          failEventType: faults.failEventType,
          dropEventType: faults.dropEventType,
          relayPaused: faults.relayPaused,
        },
        { failEventType: null, dropEventType: null, relayPaused: false },
      );
    }
  } finally {
    await platform.destroy();
  }
});
