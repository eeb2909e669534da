/**
 * The operations view in headless Chromium: an order late at approval shows in the funnel, the
 * late list, the open incidents and the live notifications; its journey page shows every step
 * with a link to its trace; the approval resolves the incident on the page. A message that ran
 * out of retries is retried from the page, and its incident leaves the open list once handled.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Browser } from 'playwright-core';
// Tracing in this process (the embedded platform runs here), so journeys carry trace ids.
import { startTracing } from '../../src/platform/telemetry/tracing.js';
import { launchChromium, newPage } from '../support/browser.js';
import { startEmbedded } from '../support/embedded.js';

startTracing({ serviceName: 'atelier-test' });

const STEP_MS = 20_000;
const ADMIN = { Authorization: 'Bearer atelier-admin', 'Content-Type': 'application/json' };

test(
  'the operations view shows late orders, incidents, journeys and traces, and retries a message',
  { timeout: 180_000 },
  async () => {
    const host = await startEmbedded({
      CRM_AUTO_APPROVE_CATALOG: 'false',
      CRM_AUTO_APPROVE_LIMIT_MINOR: '0',
      TRACKER_SWEEP_MS: '250',
      TRACKER_RECONCILE_MS: '500',
      TRACING_UI_URL: 'http://jaeger.test/trace/{traceId}',
    });
    const api = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${host.url}${path}`, {
        method,
        headers: ADMIN,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      assert.ok(res.status < 300, `${method} ${path}: ${res.status} ${text}`);
      return text ? (JSON.parse(text) as Record<string, unknown>) : {};
    };
    const order = async () => {
      const made = (await api('POST', '/api/shop/orders', {
        kind: 'catalog',
        catalogSku: 'RING-TORUS-585',
        customer: { name: 'Oona Ops', email: 'oona@example.com' },
      })) as { id: string; number: string };
      await api('POST', `/api/shop/orders/${made.id}/submit`, {});
      return made;
    };
    let browser: Browser | undefined;
    const errors: string[] = [];
    try {
      await api('PUT', '/api/tracker/deadlines', { status: 'PRICE_CALCULATED', seconds: 2 });
      browser = await launchChromium();
      const [, page] = await newPage(browser, 'operations', errors, STEP_MS);
      await page.goto(`${host.url}/#/ops`);
      await page.locator('[data-testid="ops-notifications"][data-connected="true"]').waitFor();

      // 1. A late order: in the funnel, the late list, the incidents, and live in the notifications.
      const late = await order();
      await page.getByTestId(`late-${late.id}`).waitFor();
      await page.locator('[data-testid="ops-incidents"] tr[data-kind="late"]').first().waitFor();
      const incidentText = await page
        .locator('[data-testid="ops-incidents"] tr[data-kind="late"]')
        .first()
        .innerText();
      assert.match(incidentText, new RegExp(late.number));
      assert.match(incidentText, /seller/);
      assert.match(await page.getByTestId('funnel-PRICE_CALCULATED').innerText(), /late/);
      await page.locator('[data-testid="ops-notifications"] li', { hasText: late.number }).first().waitFor();
      // The sellers' own page hears of it too (and only of what is for sellers).
      const [, sellerPage] = await newPage(browser, 'seller', errors, STEP_MS);
      await sellerPage.goto(`${host.url}/#/crm`);
      await sellerPage
        .locator('[data-testid="ops-notifications"] li', { hasText: late.number })
        .first()
        .waitFor();
      await sellerPage.close();

      // 2. Its journey: every step so far, how long each took, and a link to each trace.
      await page.getByTestId(`late-${late.id}`).getByRole('link').click();
      await page.waitForURL(new RegExp(`#/ops/orders/${late.id}$`));
      await page.locator('[data-testid="journey-status"][data-late="true"]').waitFor();
      for (const status of ['INITIATED', 'SUBMITTED', 'PRICE_CALCULATED'])
        await page.getByTestId(`step-${status}`).waitFor();
      const href = await page.getByTestId('trace-PRICE_CALCULATED').getAttribute('href');
      assert.match(href ?? '', /^http:\/\/jaeger\.test\/trace\/[0-9a-f]{32}$/);

      // 3. The seller approves: the page follows, and the incident is resolved there.
      await api('POST', `/api/crm/orders/${late.id}/approve`, { seller: 'Sam Seller' });
      await page.getByTestId('step-MANUFACTURING_APPROVED').waitFor();
      await page.locator('[data-testid="journey-incidents"] li[data-state="resolved"]').first().waitFor();
      await page.locator('[data-testid="journey-status"][data-late="false"]').waitFor();

      // 4. A message that ran out of retries, retried from the page once the fault is gone.
      await api('PUT', '/api/mes/faults', { failEventType: 'order.price_calculated.v1' });
      const failing = await order();
      await page.goto(`${host.url}/#/ops`);
      const deadRow = page.locator('[data-testid="ops-incidents"] tr[data-kind="dead_letter"]', {
        hasText: failing.id,
      });
      await deadRow.waitFor();
      await api('PUT', '/api/mes/faults', { failEventType: null });
      await page.getByTestId('ops-admin-token').fill('atelier-admin');
      await deadRow.getByRole('button', { name: 'Retry' }).click();
      await deadRow.waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('ops-error').count(), 0, 'the retry showed no error');
      assert.deepEqual(errors, []);
    } finally {
      await browser?.close();
      await host.destroy();
    }
  },
);
