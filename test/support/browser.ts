/** What the browser tests share: Debian's Chromium, one context per person, error watching, the seller's approval. */
import assert from 'node:assert/strict';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';

const COMMON_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Headless Chromium; with `webgl`, WebGL runs on SwiftShader, which Chromium only allows when asked to. */
export function launchChromium(opts: { webgl?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      ...COMMON_ARGS,
      ...(opts.webgl ? ['--use-angle=swiftshader', '--enable-unsafe-swiftshader'] : ['--disable-gpu']),
    ],
  });
}

/**
 * Collects uncaught page errors and console errors, so a test can require there were none;
 * `expected` marks console errors the test provokes on purpose (a refused upload's 4xx).
 */
export function watchErrors(
  page: Page,
  who: string,
  errors: string[],
  expected: (msg: ConsoleMessage) => boolean = () => false,
): void {
  page.on('pageerror', (err) => errors.push(`${who}: page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !expected(msg))
      errors.push(`${who}: console error: ${msg.text()} (${msg.location().url})`);
  });
}

/** One context per person: separate localStorage, as on different machines. */
export async function newPage(
  browser: Browser,
  who: string,
  errors: string[],
  stepMs: number,
  expected?: (msg: ConsoleMessage) => boolean,
): Promise<[BrowserContext, Page]> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(stepMs);
  watchErrors(page, who, errors, expected);
  return [context, page];
}

/** A seller approves the order in the CRM page; the row leaves the approval list without an error. */
export async function approveInCrm(
  browser: Browser,
  baseUrl: string,
  orderNumber: string,
  errors: string[],
  stepMs: number,
): Promise<void> {
  const [context, seller] = await newPage(browser, 'seller', errors, stepMs);
  await seller.goto(`${baseUrl}/#/crm`);
  await seller.getByTestId('seller-name').fill('Grace');
  const row = seller.locator(`[data-testid="approval-row"][data-order-number="${orderNumber}"]`);
  await row.waitFor();
  await row.getByTestId(`approve-${orderNumber}`).click();
  await row.waitFor({ state: 'detached' });
  assert.equal(await seller.getByTestId('crm-error').count(), 0, 'no error after approving');
  await context.close();
}
