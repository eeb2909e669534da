/**
 * Browser end-to-end test of a custom piece's whole lifecycle, driven through the web app in
 * headless Chromium: the customer uploads an STL and orders, the seller approves it in the CRM,
 * the operator produces and ships it in the MES, the carrier confirms the delivery over HTTP, and
 * the customer's tracking page (open the whole time) ends at CLOSED with every step done.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { approveInCrm, launchChromium, newPage } from '../support/browser.js';
import { startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { torusStl } from '../../src/platform/geometry/generate.js';

/** How long each asynchronous step (messages between services, 1–2 s UI polling) may take. */
const STEP_MS = 20_000;
const SCREENSHOT = '/tmp/atelier-tracking.png';

const CUSTOM_LIFECYCLE = [
  'INITIATED',
  'FILE_UPLOADED',
  'SUBMITTED',
  'PRICE_CALCULATED',
  'MANUFACTURING_APPROVED',
  'MANUFACTURING_STARTED',
  'MANUFACTURING_COMPLETED',
  'PACKAGING',
  'SHIPPED',
  'CLOSED',
] as const;

/**
 * Records every value of `upload-progress` in `window.__uploadProgress`. The shop page is replaced
 * by the tracking page as soon as the order is submitted, so the bar is gone by the time the test
 * could look at it; hash navigation keeps the window, so the record survives. (A string: this
 * project's TypeScript has no DOM types.)
 */
const RECORD_UPLOAD_PROGRESS = `
  (() => {
    const seen = [];
    window.__uploadProgress = seen;
    const record = () => {
      const bar = document.querySelector('[data-testid="upload-progress"]');
      if (bar && seen[seen.length - 1] !== bar.value) seen.push(bar.value);
    };
    new MutationObserver(record).observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  })();
`;

/** The carrier confirms the delivery; retried while the CRM has not yet heard of the shipment. */
async function confirmDelivery(baseUrl: string, trackingNumber: string): Promise<Record<string, unknown>> {
  const end = Date.now() + STEP_MS;
  for (;;) {
    const res = await fetch(`${baseUrl}/api/crm/carrier/deliveries`, {
      method: 'POST',
      headers: { Authorization: 'Bearer atelier-carrier', 'Content-Type': 'application/json' },
      body: JSON.stringify({ trackingNumber }),
    });
    const body = (await res.json()) as Record<string, unknown>;
    if (res.status === 200) return body;
    // 404: the SHIPPED message (with the tracking number) has not reached the CRM yet.
    if (res.status !== 404 || Date.now() > end) {
      assert.fail(`carrier delivery answered ${res.status}: ${JSON.stringify(body)}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a custom piece goes from upload to delivery through the web app', { timeout: 240_000 }, async (t) => {
  const started = Date.now();
  const timings: string[] = [];
  let lap = started;
  const mark = (what: string) => {
    timings.push(`${what} ${((Date.now() - lap) / 1000).toFixed(1)} s`);
    lap = Date.now();
  };
  const host: EmbeddedPlatform = await startEmbedded({ CRM_AUTO_APPROVE_LIMIT_MINOR: '1' });
  let tmp: string | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];
  try {
    tmp = mkdtempSync(join(tmpdir(), 'atelier-browser-'));
    mark('platform');
    browser = await launchChromium();
    mark('browser');
    const stlPath = join(tmp, 'torus-ring.stl');
    const stl = torusStl(9, 1.2, 48, 16);
    writeFileSync(stlPath, stl);

    // 1. Customer: details, custom piece, STL upload, order → tracking page.
    const [customerContext, customer] = await newPage(browser, 'customer', errors, STEP_MS);
    await customerContext.addInitScript({ content: RECORD_UPLOAD_PROGRESS });
    await customer.goto(`${host.url}/#/`);
    await customer.getByTestId('customer-name').fill('Ada Lovelace');
    await customer.getByTestId('customer-email').fill('ada@example.com');
    const form = customer.getByTestId('custom-form');
    const alloy = form.getByTestId('custom-alloy');
    // The alloys are loaded after the first render: choose the first one once it is there.
    await alloy.locator('option').first().waitFor({ state: 'attached' });
    const alloyId = await alloy.locator('option').first().getAttribute('value');
    assert.ok(alloyId, 'the alloy list has an option with a value');
    await alloy.selectOption(alloyId);
    await form.getByTestId('custom-quantity').fill('1');
    await form.getByTestId('custom-file').setInputFiles(stlPath);
    await form.getByTestId('custom-submit').click();

    await customer.waitForURL(/#\/track\/[^/]+$/, { timeout: STEP_MS });
    const orderId = decodeURIComponent(new URL(customer.url()).hash.replace(/^#\/track\//, ''));
    assert.match(orderId, /^[0-9a-f-]{36}$/i, `order id in the URL: ${customer.url()}`);
    const progress = (await customer.evaluate('window.__uploadProgress ?? []')) as number[];
    assert.ok(progress.length > 0, 'the upload progress bar was shown');
    assert.equal(Math.max(...progress), 100, `upload progress reached 100 (saw ${progress.join(', ')})`);
    const orderNumber = (await customer.getByTestId('order-number').textContent())?.trim() ?? '';
    assert.match(orderNumber, /^\S+$/, `order number on the tracking page: "${orderNumber}"`);
    t.diagnostic(
      `order ${orderNumber} (${orderId}), ${stl.length} bytes of STL, upload progress ${progress.join(' → ')}`,
    );

    // The price is calculated from the model (MES) before a seller sees the order.
    await customer.locator('[data-testid="order-price"][data-known="true"]').waitFor();

    mark('customer ordered, priced');
    // 2. Seller: approve the order (its price is above the 1-cent auto-approval limit).
    await approveInCrm(browser, host.url, orderNumber, errors, STEP_MS);

    mark('seller approved');
    // 3. Operator: take the order from the queue and advance it to SHIPPED.
    const [operatorContext, operator] = await newPage(browser, 'operator', errors, STEP_MS);
    await operator.goto(`${host.url}/#/mes`);
    // A registered operator (seeded in embedded mode) who casts and polishes: a piece without stones.
    await operator.getByTestId('operator-select').selectOption('olga');
    await operator.getByTestId(`take-${orderNumber}`).click();
    const status = operator.getByTestId(`mes-status-${orderNumber}`);
    await operator
      .locator(`[data-testid="mes-status-${orderNumber}"][data-status="MANUFACTURING_STARTED"]`)
      .waitFor();
    for (const next of ['MANUFACTURING_COMPLETED', 'PACKAGING', 'SHIPPED']) {
      await operator.getByTestId(`advance-${orderNumber}`).click();
      await operator.locator(`[data-testid="mes-status-${orderNumber}"][data-status="${next}"]`).waitFor();
      assert.equal(await operator.getByTestId('mes-error').count(), 0, `no error advancing to ${next}`);
    }
    assert.equal((await status.textContent())?.trim(), 'SHIPPED');
    await operator
      .getByTestId('mes-notice')
      .filter({ hasText: `${orderNumber} is now SHIPPED` })
      .waitFor();
    assert.equal(
      await operator.getByTestId(`advance-${orderNumber}`).count(),
      0,
      'nothing to advance after SHIPPED',
    );
    const trackingNumber =
      (await operator.getByTestId(`tracking-number-${orderNumber}`).textContent())?.trim() ?? '';
    assert.ok(trackingNumber, 'the operator sees a tracking number');
    const mesOrder = (await (await fetch(`${host.url}/api/mes/orders/${orderId}`)).json()) as {
      trackingNumber?: string;
    };
    assert.equal(mesOrder.trackingNumber, trackingNumber, 'the UI shows the MES tracking number');
    await operatorContext.close();

    mark('operator shipped');
    // 4. Carrier: the parcel is delivered.
    const delivered = await confirmDelivery(host.url, trackingNumber);
    assert.equal(delivered.status, 'CLOSED');
    mark('carrier delivered');

    // 5. Customer: the tracking page (polling since step 1) ends at CLOSED with every step done.
    await customer.locator('[data-testid="order-status"]', { hasText: /^CLOSED$/ }).waitFor();
    const timeline = customer.getByTestId('timeline');
    const items = timeline.locator('li[data-status]');
    const steps: [string | null, string | null][] = [];
    for (let i = 0; i < (await items.count()); i++) {
      const li = items.nth(i);
      steps.push([await li.getAttribute('data-status'), await li.getAttribute('data-done')]);
    }
    assert.deepEqual(
      steps,
      CUSTOM_LIFECYCLE.map((s) => [s, 'true']),
      'the timeline lists the custom lifecycle, every step done',
    );
    assert.equal(await timeline.locator('li[aria-current="step"]').getAttribute('data-status'), 'CLOSED');
    const price = customer.locator('[data-testid="order-price"][data-known="true"]');
    const shopOrder = (await (await fetch(`${host.url}/api/shop/orders/${orderId}`)).json()) as {
      price?: { amountMinor: number; currency: string };
    };
    assert.ok(shopOrder.price && shopOrder.price.amountMinor > 1, 'the order has a price above the limit');
    const { amountMinor, currency } = shopOrder.price;
    const expected = new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(
      amountMinor / 100,
    );
    assert.equal((await price.textContent())?.trim(), expected, 'the price is shown, formatted en-GB');
    assert.equal(await customer.getByTestId('order-aborted').count(), 0);
    assert.equal(await customer.getByTestId('track-error').count(), 0);

    mark('tracking page CLOSED');
    await customer.screenshot({ path: SCREENSHOT, fullPage: true });
    t.diagnostic(`screenshot: ${SCREENSHOT}`);
    t.diagnostic(`${timings.join(', ')}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(errors, [], 'no page or console errors');
  } finally {
    await browser?.close();
    await host.destroy();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
});
