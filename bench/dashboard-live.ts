/**
 * Commit to browser: the MES service as it ships (its own process, on the archive layout of the
 * 10M-order database, RabbitMQ for its messages) serves the workspace stream to headless
 * Chromium, which records when each event arrives (an EventSource, as the workspace page opens
 * it). This process commits status changes at a steady rate, one per transaction, and notes the
 * moment each COMMIT returned; the difference is the latency an operator sees.
 */
import { randomBytes } from 'node:crypto';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { deleteNamespace } from '../src/platform/messaging/amqp-admin.js';
import { packageRoot } from '../src/cli/host.js';
import { loadConfig } from '../src/platform/config.js';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../test/support/browser.js';
import { ACTIVE_LIST, connect, schemaUrl } from './dashboard-layouts.js';
import { ENDED_STATUSES, OPERATORS, prng, skewed } from './dashboard-data.js';
import { percentile } from './dashboard-queries.js';
import { nextStatus, statusChangeSql } from './dashboard-writes.js';

export interface LiveResult {
  rate: number;
  changes: number;
  received: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

const ENDED = new Set<string>(ENDED_STATUSES);

/** Starts `atelier serve mes` on the layout's schema; resolves with its base URL once healthy. */
async function serveMes(dbUrl: string, amqpUrl: string, namespace: string, port: number) {
  const url = schemaUrl(dbUrl, 'archive');
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'atelier.js'), 'serve', 'mes'], {
    env: {
      ...process.env,
      DATABASE_URL: url,
      MES_DATABASE_URL: url,
      AMQP_URL: amqpUrl,
      MESSAGING_NAMESPACE: namespace,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'error',
      REDIS_URL: '',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  const end = Date.now() + 60_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the MES process exited with code ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/mes/health`)).ok) return { base, child };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGKILL');
  throw new Error('the MES process did not become healthy within 60 s');
}

export async function commitToBrowser(
  dbUrl: string,
  amqpUrl: string,
  opts: { rate: number; seconds: number; seed: number },
): Promise<LiveResult> {
  const namespace = `atelier-bench-live-${randomBytes(3).toString('hex')}`;
  const mes = await serveMes(dbUrl, amqpUrl, namespace, 5190);
  let browser: Browser | undefined;
  const writers = await Promise.all([0, 1].map(() => connect(dbUrl, 'archive', 'atelier-bench-live')));
  try {
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(`${mes.base}/api/mes/health`);
    // The page's own clock (Date.now, the same system clock as this process) marks arrivals.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          // Runs in the page: typed by hand, as this project compiles without the DOM library.
          const w = globalThis as unknown as {
            arrivals: [string, string, number][];
            EventSource: new (url: string) => {
              addEventListener(type: string, f: (e: { data: string }) => void, o?: { once: boolean }): void;
            };
          };
          w.arrivals = [];
          const es = new w.EventSource('/api/mes/workspace/stream');
          es.addEventListener('hello', () => resolve(), { once: true });
          es.addEventListener('error', () => reject(new Error('the stream failed to open')), { once: true });
          es.addEventListener('changed', (e) => {
            const at = Date.now();
            const ev = JSON.parse(e.data) as { status: string; order: { id: string } };
            w.arrivals.push([ev.order.id, ev.status, at]);
          });
        }),
    );

    const active = await writers[0]!.query<{ id: string; status: string }>(
      `SELECT id, status FROM production_orders WHERE status IN (${ACTIVE_LIST}) AND archive_month = 'infinity'
       ORDER BY id LIMIT 20000`,
    );
    const sql = statusChangeSql('archive');
    const committed = new Map<string, number>();
    const total = opts.rate * opts.seconds;
    const t0 = performance.now();
    // Two connections take turns, so one slow commit does not hold the pace back.
    await Promise.all(
      writers.map(async (c, w) => {
        const rnd = prng(opts.seed + w);
        const rows = active.rows.filter((_, i) => i % writers.length === w);
        for (let n = w; n < total && rows.length > 0; n += writers.length) {
          const wait = t0 + (n * 1000) / opts.rate - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          const i = Math.floor(rnd() * rows.length);
          const row = rows[i]!;
          const to = nextStatus(row.status, rnd());
          const operator = to === 'MANUFACTURING_STARTED' ? skewed(OPERATORS, rnd()) : null;
          const r = await c.query({
            name: 'live_change',
            text: sql,
            values: [row.id, to, row.status, operator],
          });
          if (r.rowCount !== 1) continue; // the service's own assigner moved it first
          committed.set(`${row.id} ${to}`, Date.now());
          if (ENDED.has(to)) rows.splice(i, 1);
          else row.status = to;
        }
      }),
    );
    // Whatever has not arrived two seconds after the last commit counts as missing.
    await new Promise((r) => setTimeout(r, 2000));
    const arrivals = await page.evaluate(
      () => (globalThis as unknown as { arrivals: [string, string, number][] }).arrivals,
    );
    const latencies: number[] = [];
    for (const [id, status, at] of arrivals) {
      const c = committed.get(`${id} ${status}`);
      if (c !== undefined) latencies.push(at - c);
    }
    latencies.sort((a, b) => a - b);
    return {
      rate: opts.rate,
      changes: committed.size,
      received: latencies.length,
      p50: percentile(latencies, 0.5),
      p95: percentile(latencies, 0.95),
      p99: percentile(latencies, 0.99),
      max: latencies.at(-1) ?? NaN,
    };
  } finally {
    await browser?.close();
    await Promise.all(writers.map((c) => c.end()));
    await new Promise<void>((resolve) => {
      if (mes.child.exitCode !== null) return resolve();
      mes.child.once('exit', () => resolve());
      mes.child.kill('SIGTERM');
    });
    await deleteNamespace(amqpUrl, namespace, ['mes'], loadConfig({}).MESSAGING_RETRY_DELAYS_MS);
  }
}
