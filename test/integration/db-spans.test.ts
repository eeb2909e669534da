/**
 * Database spans on a real PostgreSQL server and on PGlite, made by our Db wrapper: a
 * transaction is one span with its statements as events (no span per statement inside it), a
 * statement outside a transaction is a span of its own, and background work makes none.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { diag, DiagLogLevel, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import { openPg } from '../../src/platform/db/pg.js';
import { openPglite } from '../../src/platform/db/pglite.js';
import type { Db } from '../../src/platform/db/types.js';
import { startTracing, type Tracing } from '../../src/platform/telemetry/tracing.js';
import { createTestDatabase } from '../support/servers.js';

const exporter = new InMemorySpanExporter();
/** What the SDK complains of, such as an operation on a span that has already ended. */
const complaints: string[] = [];
const note = (message: string) => complaints.push(message);
diag.setLogger(
  { error: note, warn: note, info: () => {}, debug: () => {}, verbose: () => {} },
  DiagLogLevel.WARN,
);
const tracing: Tracing = startTracing({ serviceName: 'atelier-test', exporter });

const work = trace.getTracer('test');

/** The spans finished under a fresh outer span while `fn` runs. */
async function spansOf(fn: () => Promise<unknown>): Promise<{ outer: ReadableSpan; inner: ReadableSpan[] }> {
  exporter.reset();
  await work.startActiveSpan('outer', async (span) => {
    try {
      await fn().catch(() => undefined);
    } finally {
      span.end();
    }
  });
  await tracing.flush();
  const spans = exporter.getFinishedSpans();
  const outer = spans.find((s) => s.name === 'outer');
  assert.ok(outer, 'the outer span was exported');
  return { outer, inner: spans.filter((s) => s !== outer) };
}

const dbSystem = (s: ReadableSpan) => s.attributes['db.system.name'] ?? s.attributes['db.system'];

for (const engine of ['pg', 'pglite'] as const) {
  describe(`database spans (${engine})`, () => {
    let db: Db;
    let namespace: string;
    let drop = async () => undefined as unknown;
    before(async () => {
      if (engine === 'pg') {
        const t = await createTestDatabase('txspans');
        db = await openPg({ connectionString: t.url, max: 2 });
        namespace = new URL(t.url).pathname.slice(1);
        drop = async () => {
          await db.close();
          await t.drop();
        };
      } else {
        db = await openPglite();
        namespace = 'memory';
        drop = () => db.close();
      }
      await db.query('CREATE TABLE notes (k int PRIMARY KEY, v text NOT NULL)');
    });
    after(() => drop());

    test('a transaction is one span, its statements events on it', async () => {
      const { outer, inner } = await spansOf(() =>
        db.tx(async (q) => {
          await q.query('INSERT INTO notes VALUES ($1, $2)', [1, 'one']);
          await q.query("UPDATE notes SET v = v || '+' WHERE k = 1");
          await q.query('SELECT v FROM notes WHERE k = $1', [1]);
        }),
      );
      assert.deepEqual(
        inner.map((s) => s.name),
        [`transaction ${namespace}`],
        'one span, none per statement',
      );
      const [tx] = inner as [ReadableSpan];
      assert.equal(dbSystem(tx), 'postgresql');
      assert.equal(tx.attributes['db.namespace'], namespace);
      assert.equal(tx.parentSpanContext?.spanId, outer.spanContext().spanId);
      assert.equal(tx.attributes['db.transaction.statements'], 3);
      assert.deepEqual(
        tx.events.map((e) => String(e.attributes?.['db.query.text']).split(' ')[0]),
        ['INSERT', 'UPDATE', 'SELECT'],
      );
      assert.equal(tx.status.code, SpanStatusCode.UNSET);
    });

    test('a transaction that fails says why on its span', async () => {
      const { inner } = await spansOf(() =>
        db.tx(async (q) => {
          await q.query('INSERT INTO notes VALUES ($1, $2)', [50, 'first']);
          await q.query('INSERT INTO notes VALUES ($1, $2)', [50, 'duplicate key']);
        }),
      );
      const [tx] = inner as [ReadableSpan];
      assert.equal(inner.length, 1);
      assert.equal(tx.status.code, SpanStatusCode.ERROR);
      assert.match(tx.status.message ?? '', /duplicate key/);
      assert.ok(tx.events.some((e) => e.name === 'exception'));
    });

    test('a listener that throws after the commit ends the span once, as committed', async () => {
      let rejected: unknown;
      complaints.length = 0;
      const { inner } = await spansOf(() =>
        db
          .tx(async (q) => {
            await q.query('INSERT INTO notes VALUES ($1, $2)', [60, 'kept']);
            q.afterCommit?.(() => {
              throw new Error('listener failed');
            });
          })
          .catch((err: unknown) => {
            rejected = err;
          }),
      );
      assert.match(String(rejected), /listener failed/);
      assert.equal(inner.length, 1);
      assert.equal((inner[0] as ReadableSpan).status.code, SpanStatusCode.UNSET);
      assert.deepEqual(complaints, [], 'the span was not ended a second time');
      const kept = await db.query('SELECT v FROM notes WHERE k = 60');
      assert.deepEqual(kept.rows, [{ v: 'kept' }]);
    });

    if (engine === 'pg')
      test('a transaction that cannot get a connection says so on its span', async () => {
        const t = await createTestDatabase('txspans_closed');
        const closed = await openPg({ connectionString: t.url, max: 1 });
        await closed.close();
        await t.drop();
        const { inner } = await spansOf(() => closed.tx((q) => q.query('SELECT 1')));
        assert.equal(inner.length, 1, 'the span was ended');
        assert.equal((inner[0] as ReadableSpan).status.code, SpanStatusCode.ERROR);
      });

    test('background work (no span around it) makes no database span', async () => {
      exporter.reset();
      await db.tx((q) => q.query('SELECT 1'));
      await db.query('SELECT 1');
      await tracing.flush();
      assert.deepEqual(exporter.getFinishedSpans(), []);
    });

    test('a statement outside a transaction is a span of its own', async () => {
      const { outer, inner } = await spansOf(() => db.query('SELECT v FROM notes WHERE k = $1', [1]));
      assert.deepEqual(
        inner.map((s) => s.name),
        [`SELECT ${namespace}`],
      );
      const [read] = inner as [ReadableSpan];
      assert.equal(dbSystem(read), 'postgresql');
      assert.equal(read.attributes['db.operation.name'], 'SELECT');
      assert.equal(read.attributes['db.query.text'], 'SELECT v FROM notes WHERE k = $1');
      assert.equal(read.parentSpanContext?.spanId, outer.spanContext().spanId);
    });

    test('a failing statement outside a transaction says why on its span', async () => {
      const { inner } = await spansOf(() => db.query('SELECT no_such_column FROM notes'));
      const [read] = inner as [ReadableSpan];
      assert.equal(inner.length, 1);
      assert.equal(read.status.code, SpanStatusCode.ERROR);
      assert.match(read.status.message ?? '', /no_such_column/);
    });
  });
}

after(() => tracing.shutdown());
