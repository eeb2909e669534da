/**
 * Browser end-to-end test of the quote flow for a custom piece, driven through the web app in
 * headless Chromium: a file that is no model is refused with the server's message; the customer
 * uploads a generated torus STL (upload and calculation progress bars reach 100, the calculation
 * bar driven by the server-sent progress), sees it in 3D (WebGL through SwiftShader) with the
 * triangle count and dimensions of the generated mesh, gets a quote, orders from it and lands on
 * the tracking page; after the seller's approval the operator opens the order's card in the MES
 * and sees the same model, downloaded from the order's `modelUrl`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, ConsoleMessage, Locator, Page } from 'playwright-core';
import { approveInCrm, launchChromium, newPage } from '../support/browser.js';
import { startEmbedded, type EmbeddedPlatform } from '../support/embedded.js';
import { torusStl } from '../../src/platform/geometry/generate.js';

const STEP_MS = 20_000;
const SCREENSHOT_SHOP = '/tmp/atelier-pricing-shop.png';
const SCREENSHOT_MES = '/tmp/atelier-pricing-mes.png';

// The ring: torus R 9 mm, tube r 1.2 mm, 48 × 16 segments. Its vertices lie on the true surface
// and include the outermost points, so the box is exactly 2(R + r) × 2(R + r) × 2r.
const R = 9;
const r = 1.2;
const SEG_MAJOR = 48;
const SEG_MINOR = 16;
const TRIANGLES = 2 * SEG_MAJOR * SEG_MINOR;
const DIMENSIONS = [2 * (R + r), 2 * (R + r), 2 * r];
/** The faceted torus' exact volume (see src/platform/geometry/generate.ts). */
const VOLUME =
  (R *
    r *
    r *
    (SEG_MAJOR * Math.sin((2 * Math.PI) / SEG_MAJOR)) *
    (SEG_MINOR * Math.sin((2 * Math.PI) / SEG_MINOR))) /
  2;

/**
 * Records every value (and `data-stage`) the two progress bars take, in `window.__bars`: the
 * early values of a small upload are gone by the time the test could look. (A string: this
 * project's TypeScript has no DOM types.)
 */
const RECORD_PROGRESS = `
  (() => {
    const seen = { upload: [], calc: [], stages: [] };
    window.__bars = seen;
    const push = (list, value) => { if (value !== null && list[list.length - 1] !== value) list.push(value); };
    const record = () => {
      const upload = document.querySelector('[data-testid="piece-upload-progress"]');
      const calc = document.querySelector('[data-testid="piece-calc-progress"]');
      if (upload) push(seen.upload, upload.value);
      if (calc) { push(seen.calc, calc.value); push(seen.stages, calc.getAttribute('data-stage')); }
    };
    new MutationObserver(record).observe(document, {
      subtree: true, childList: true, attributes: true, characterData: true,
    });
  })();
`;

interface PriceList {
  version: number | string;
  currency: string;
  alloys: { id: string; name: string; densityGPerCm3: number }[];
  stones: { type: string; sizes: { sizeMm: number }[] }[];
}

/** The refused upload's 4xx is provoked on purpose and not counted as an error. */
const refusedUpload = (msg: ConsoleMessage) =>
  /status of 4\d\d/.test(msg.text()) && msg.location().url.includes('/api/pricing/models?');

/** Waits for `done` or for the error box `errorTestId`, and fails with the error's text if that came. */
async function expectNoError(page: Page, done: string, errorTestId: string, what: string): Promise<void> {
  await page.locator(`${done}, [data-testid="${errorTestId}"]`).first().waitFor();
  const error = page.getByTestId(errorTestId);
  if ((await error.count()) > 0) assert.fail(`${what}: ${(await error.first().textContent())?.trim()}`);
}

async function numberAttr(locator: Locator, name: string): Promise<number> {
  const value = await locator.getAttribute(name);
  assert.ok(value !== null && value !== '', `${name} is set`);
  return Number(value);
}

/** `data-mm="x,y,z"` of the dimensions figure, each within 1 % of the generated ring's. */
async function assertDimensions(preview: Locator, where: string): Promise<number[]> {
  const text = await preview.getByTestId('model-dimensions').getAttribute('data-mm');
  const dims = (text ?? '').split(',').map(Number);
  assert.equal(dims.length, 3, `${where}: three dimensions (${text})`);
  dims.forEach((d, i) => {
    const want = DIMENSIONS[i]!;
    assert.ok(Math.abs(d - want) <= want * 0.01, `${where}: dimension ${i} is ${d}, expected ≈ ${want}`);
  });
  return dims;
}

/** The preview in `scope` has drawn the mesh with the generated triangle count, and shows its figures. */
async function assertPreview(scope: Locator, where: string): Promise<void> {
  // Loaded (or failed): then it must have rendered, or the note says why it did not.
  const preview = scope.locator('[data-testid="model-preview"]:not([data-state="loading"])');
  await preview.waitFor();
  const state = await preview.getAttribute('data-state');
  const note = await preview.getByTestId('model-canvas').textContent();
  assert.equal(state, 'ready', `${where}: the 3D view rendered (state ${state}: ${note})`);
  assert.equal(await preview.getAttribute('data-ready'), 'true', `${where}: data-ready`);
  assert.equal(await numberAttr(preview, 'data-triangles'), TRIANGLES, `${where}: triangles drawn`);
  assert.equal(await preview.locator('canvas').count(), 1, `${where}: one canvas`);
  assert.equal(
    await numberAttr(preview.getByTestId('model-triangles'), 'data-count'),
    TRIANGLES,
    `${where}: triangle figure`,
  );
  await assertDimensions(preview, where);
  const volume = await numberAttr(preview.getByTestId('model-volume'), 'data-mm3');
  assert.ok(Math.abs(volume - VOLUME) <= VOLUME * 0.01, `${where}: volume ${volume}, expected ≈ ${VOLUME}`);
}

test(
  'a custom piece is previewed, quoted and ordered; the operator sees its model',
  { timeout: 240_000 },
  async (t) => {
    const host: EmbeddedPlatform = await startEmbedded({ CRM_AUTO_APPROVE_LIMIT_MINOR: '1' });
    let tmp: string | undefined;
    let browser: Browser | undefined;
    const errors: string[] = [];
    try {
      tmp = mkdtempSync(join(tmpdir(), 'atelier-pricing-'));
      browser = await launchChromium({ webgl: true });
      const stlPath = join(tmp, 'torus-ring.stl');
      const stl = torusStl(R, r, SEG_MAJOR, SEG_MINOR);
      writeFileSync(stlPath, stl);
      const junkPath = join(tmp, 'notes.stl');
      writeFileSync(junkPath, 'these are my notes, not a 3D model\n');
      const priceList = (await (await fetch(`${host.url}/api/pricing/price-list`)).json()) as PriceList;
      assert.ok(priceList.alloys.length > 0, 'the price list has alloys');

      // 1. Customer: details; a file that is no model is refused with the server's own message.
      const [customerContext, customer] = await newPage(browser, 'customer', errors, STEP_MS, refusedUpload);
      await customerContext.addInitScript({ content: RECORD_PROGRESS });
      const fileRequests: string[] = [];
      customer.on('request', (req) => {
        if (/\/api\/pricing\/models\/[^/]+\/file/.test(req.url())) fileRequests.push(req.url());
      });
      await customer.goto(`${host.url}/#/`);
      await customer.getByTestId('customer-name').fill('Ada Lovelace');
      await customer.getByTestId('customer-email').fill('ada@example.com');
      const piece = customer.getByTestId('custom-piece');

      const refused = await fetch(`${host.url}/api/pricing/models?filename=notes.stl&units=mm`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/octet-stream' },
        body: 'these are my notes, not a 3D model\n',
      });
      const refusal = (await refused.json()) as { message?: string };
      assert.ok(refused.status >= 400 && refused.status < 500, `junk upload answered ${refused.status}`);
      await piece.getByTestId('piece-file').setInputFiles(junkPath);
      await piece.getByTestId('piece-analyse').click();
      const pieceError = piece.getByTestId('piece-error');
      await pieceError.waitFor();
      assert.equal((await pieceError.textContent())?.trim(), refusal.message, 'the server message is shown');
      assert.equal(await piece.getByTestId('model-preview').count(), 0, 'no preview for a refused file');

      // 2. The ring: both progress bars fill, the calculation bar by the server's events.
      await customer.evaluate(
        'window.__bars.upload.length = 0; window.__bars.calc.length = 0; window.__bars.stages.length = 0',
      );
      await piece.getByTestId('piece-units').selectOption('mm');
      await piece.getByTestId('piece-file').setInputFiles(stlPath);
      await piece.getByTestId('piece-analyse').click();
      await expectNoError(customer, '[data-testid="piece-result"]', 'piece-error', 'the upload failed');
      await piece.locator('[data-testid="piece-upload-progress"][data-complete="true"]').waitFor();
      await piece
        .locator('[data-testid="piece-calc-progress"][data-complete="true"][data-stage="done"]')
        .waitFor();
      assert.equal(await piece.getByTestId('piece-error').count(), 0, 'no error after a good upload');
      const bars = (await customer.evaluate('window.__bars')) as {
        upload: number[];
        calc: number[];
        stages: string[];
      };
      assert.equal(Math.max(...bars.upload), 100, `upload bar reached 100 (saw ${bars.upload.join(', ')})`);
      assert.equal(Math.max(...bars.calc), 100, `calculation bar reached 100 (saw ${bars.calc.join(', ')})`);
      assert.ok(
        bars.stages.includes('done'),
        `the progress stream said done (saw ${bars.stages.join(', ')})`,
      );
      t.diagnostic(
        `upload ${bars.upload.join(' → ')}; calculation ${bars.calc.join(' → ')} (${bars.stages.join(' → ')})`,
      );

      // 3. The preview, from the file in the browser (no download), with the ring's figures.
      await assertPreview(piece, 'shop preview');
      const preview = piece.getByTestId('model-preview');
      assert.deepEqual(fileRequests, [], 'the shop preview does not download the model again');
      assert.equal(
        await piece.getByTestId('model-validation').getAttribute('data-watertight'),
        'true',
        'the generated ring is watertight',
      );

      // 4. Quote: first alloy, two pieces, and stones when the price list has any.
      const alloy = priceList.alloys[0]!;
      await piece.getByTestId('quote-alloy').selectOption(alloy.id);
      const grams = await numberAttr(preview.getByTestId('model-weight'), 'data-grams');
      const expectedGrams = (VOLUME / 1000) * alloy.densityGPerCm3;
      assert.ok(
        Math.abs(grams - expectedGrams) <= expectedGrams * 0.01,
        `metal weight ${grams} g, expected ≈ ${expectedGrams} g of ${alloy.id}`,
      );
      await piece.getByTestId('quote-quantity').fill('2');
      const withStones = priceList.stones.some((s) => s.sizes.length > 0);
      if (withStones) {
        await piece.getByTestId('stone-add').click();
        await piece.getByTestId('stone-count').fill('3');
      }
      await piece.getByTestId('quote-button').click();
      await expectNoError(customer, '[data-testid="quote-total"]', 'quote-error', 'the quote failed');
      const total = piece.getByTestId('quote-total');
      const totalMinor = await numberAttr(total, 'data-amount-minor');
      assert.ok(totalMinor > 0, `the quote total is positive (${totalMinor})`);
      for (const part of ['metal', 'labour']) {
        assert.ok(
          (await numberAttr(piece.getByTestId(`quote-${part}`), 'data-amount-minor')) > 0,
          `a positive ${part} line`,
        );
      }
      if (withStones) assert.equal(await piece.getByTestId('quote-stone').count(), 1, 'one stone line');
      assert.equal(
        (await piece.getByTestId('quote-version').textContent())?.trim(),
        String(priceList.version),
        'the quote names the current price list version',
      );
      assert.ok(await piece.getByTestId('quote-expiry').getAttribute('data-expires-at'), 'an expiry');
      const quoteTotalText = (await total.textContent())?.trim();
      await customer.screenshot({ path: SCREENSHOT_SHOP, fullPage: true });

      // 5. Order from the quote: the tracking page, at the quoted price.
      await piece.getByTestId('order-quote-button').click();
      await expectNoError(customer, '[data-testid="order-number"]', 'order-quote-error', 'ordering failed');
      await customer.waitForURL(/#\/track\/[^/]+$/, { timeout: STEP_MS });
      const orderId = decodeURIComponent(new URL(customer.url()).hash.replace(/^#\/track\//, ''));
      assert.match(orderId, /^[0-9a-f-]{36}$/i, `order id in the URL: ${customer.url()}`);
      const orderNumber = (await customer.getByTestId('order-number').textContent())?.trim() ?? '';
      assert.match(orderNumber, /^\S+$/, `order number on the tracking page: "${orderNumber}"`);
      const price = customer.locator('[data-testid="order-price"][data-known="true"]');
      await price.waitFor();
      assert.equal((await price.textContent())?.trim(), quoteTotalText, 'the order has the quoted price');
      t.diagnostic(`order ${orderNumber} (${orderId}) at ${quoteTotalText}`);

      // 6. Seller: approve (every price is above the 1-cent auto-approval limit).
      await approveInCrm(browser, host.url, orderNumber, errors, STEP_MS);

      // 7. Operator: the order's card in the queue shows the model from its modelUrl.
      const [operatorContext, operator] = await newPage(browser, 'operator', errors, STEP_MS, refusedUpload);
      const modelRequests: string[] = [];
      operator.on('response', (res) => {
        if (res.url().includes(`/api/mes/orders/${orderId}/`))
          modelRequests.push(`${res.status()} ${res.url()}`);
      });
      await operator.goto(`${host.url}/#/mes`);
      // Sam casts, sets stones and polishes: every piece this test can quote.
      await operator.getByTestId('operator-select').selectOption('sam');
      await operator.getByTestId(`details-${orderNumber}`).click();
      const card = operator.locator(`[data-testid="mes-order-card"][data-order-number="${orderNumber}"]`);
      await card.waitFor();
      await assertPreview(card, 'operator card');
      assert.ok(modelRequests.length > 0, 'the card downloaded the order model');
      assert.ok(
        (await numberAttr(card.getByTestId('mes-breakdown-metal'), 'data-amount-minor')) > 0,
        'the card shows the metal price',
      );
      assert.equal(await card.getByTestId('mes-card-error').count(), 0);
      await operator.screenshot({ path: SCREENSHOT_MES, fullPage: true });

      // The existing actions still work with the card open; it follows the order to "My orders".
      await operator.getByTestId(`take-${orderNumber}`).click();
      await operator
        .locator(`[data-testid="mes-status-${orderNumber}"][data-status="MANUFACTURING_STARTED"]`)
        .waitFor();
      await operator
        .locator(`[data-testid="queue-row"][data-order-number="${orderNumber}"]`)
        .waitFor({ state: 'detached' });
      await assertPreview(
        operator
          .getByTestId('operator-orders')
          .locator(`[data-testid="mes-order-card"][data-order-number="${orderNumber}"]`),
        'operator card after taking the order',
      );
      assert.equal(await operator.getByTestId('mes-error').count(), 0, 'no error taking the order');
      await operatorContext.close();
      await customerContext.close();

      t.diagnostic(`screenshots: ${SCREENSHOT_SHOP}, ${SCREENSHOT_MES}`);
      assert.deepEqual(errors, [], 'no page or console errors');
    } finally {
      await browser?.close();
      await host.destroy();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    }
  },
);
