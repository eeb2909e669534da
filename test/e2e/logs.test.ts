/**
 * The logs of `atelier up` as an operator reads them: JSON lines, one INFO line per status
 * change with old and new status, actor and time in the old status, each with the trace, span
 * and order ids; and no customer e-mail address or API key in clear anywhere.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/cli/host.js';
import { eventually } from '../support/embedded.js';

const EMAIL = 'lena.logs@example.com';
const PARTNER_KEY = 'demo-key-that-must-never-be-logged';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

interface Line {
  level: number;
  msg: string;
  event?: string;
  orderId?: string;
  oldStatus?: string | null;
  newStatus?: string;
  actor?: string;
  elapsedMs?: number | null;
  trace_id?: string;
  span_id?: string;
}

test('a status change is one INFO line with the trace, and secrets never appear', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'atelier-logs-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(packageRoot(), 'bin', 'atelier.js'), 'up'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dir,
      LOG_LEVEL: 'info',
      DEMO_PARTNER_KEY: PARTNER_KEY,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (out += c.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  try {
    await eventually(
      async () => ((await fetch(`${url}/api/shop/health`)).ok ? true : undefined),
      90_000,
      'start',
    );
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { id: string } };
    };
    const made = await post('/api/shop/orders', {
      kind: 'catalog',
      catalogSku: 'RING-TORUS-585',
      customer: { name: 'Lena Logs', email: EMAIL },
    });
    assert.equal(made.status, 201);
    const orderId = made.body.id;
    assert.equal((await post(`/api/shop/orders/${orderId}/submit`, {})).status, 200);
    // A request with a key in its headers that fails: the key must not be logged either.
    await fetch(`${url}/api/partner/v1/orders`, { headers: { authorization: `Bearer ${PARTNER_KEY}x` } });

    const changes = (): Line[] =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Line)
        .filter((l) => l.event === 'order.status_changed' && l.orderId === orderId);
    await eventually(
      async () => (changes().some((l) => l.newStatus === 'MANUFACTURING_APPROVED') ? true : undefined),
      20_000,
      'the approval logged',
    );
    const lines = changes();
    // One line per change, by the service that made it (followers do not log others' changes).
    assert.deepEqual(
      lines.map((l) => `${l.oldStatus ?? '-'}→${l.newStatus}`),
      [
        '-→INITIATED',
        'INITIATED→SUBMITTED',
        'SUBMITTED→PRICE_CALCULATED',
        'PRICE_CALCULATED→MANUFACTURING_APPROVED',
      ],
    );
    for (const l of lines) {
      assert.equal(l.level, 30, 'INFO');
      assert.match(l.trace_id ?? '', /^[0-9a-f]{32}$/);
      assert.match(l.span_id ?? '', /^[0-9a-f]{16}$/);
      assert.ok(l.actor, 'who made the change');
      assert.match(l.msg, /→/);
    }
    assert.equal(lines[0]?.elapsedMs, null, 'a new order has no previous status');
    for (const l of lines.slice(1)) assert.ok(typeof l.elapsedMs === 'number' && l.elapsedMs >= 0, l.msg);
    // From the submit on, the automatic steps are one trace.
    assert.equal(new Set(lines.slice(1).map((l) => l.trace_id)).size, 1);
    assert.equal(lines[3]?.actor, 'rule:catalog-piece');

    assert.ok(!out.includes(EMAIL), 'a customer e-mail address in the output');
    // The start banner shows the demo partner's key to the developer on purpose; log lines never.
    const logLines = out.split('\n').filter((l) => l.startsWith('{'));
    assert.ok(logLines.length > 0);
    assert.ok(!logLines.some((l) => l.includes(PARTNER_KEY)), 'an API key in a log line');
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
});
