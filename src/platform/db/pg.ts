import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import { coalesceConnectionWrites } from '../coalesced-writes.js';
import { TransactionSpan, traceStatement, type DbTarget } from '../telemetry/db-spans.js';
import type { Db, QueryResult } from './types.js';

// timestamptz as ISO strings and int8 as numbers: the same shapes PGlite gives, so rows look alike
// whichever engine runs. Our int8 columns are sequence numbers far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (v) => new Date(v).toISOString());

const names = new Map<string, string>();

/** A stable name per SQL text (the same on every connection). */
function statementName(text: string): string {
  let n = names.get(text);
  if (!n) {
    n = `s${createHash('sha1').update(text).digest('base64url').slice(0, 16)}`;
    names.set(text, n);
  }
  return n;
}

export interface PgOptions {
  connectionString: string;
  max?: number;
  applicationName?: string;
  /**
   * Every transaction read-only (default_transaction_read_only): for a read pool, so a write sent
   * to it by mistake fails even when its URL points at a writable server.
   */
  readOnly?: boolean;
}

export async function openPg(opts: PgOptions): Promise<Db> {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'atelier',
    // Pipeline mode: a statement is written as soon as it is issued, without waiting for the one
    // before it to be answered. Most of a short statement's cost on both sides is the round trip
    // (each wakes the other process), so statements issued together cost about one round trip.
    pipeline: true,
    ...(opts.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
  });
  // An idle client that loses its connection must not crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  // A tick's statements leave in one write (see coalesced-writes.ts).
  pool.on('connect', (client) => coalesceConnectionWrites(client));
  // Fail fast with the server's own message when the URL is wrong.
  const probe = await pool.connect();
  probe.release();
  const committed = new EventEmitter().setMaxListeners(0);
  const target = dbTarget(opts.connectionString);

  // Statements with parameters run as named prepared statements: each connection parses and
  // plans one once instead of on every call, which is most of PostgreSQL's CPU per statement for
  // the short queries services run.
  const run = async <T>(
    c: pg.Pool | pg.PoolClient,
    text: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>> => {
    const r = await c.query(
      params && params.length > 0
        ? { name: statementName(text), text, values: params as unknown[] }
        : { text },
    );
    return { rows: r.rows as T[], rowCount: r.rowCount ?? 0 };
  };

  return {
    engine: 'pg',
    // Spans (see db-spans.ts): a statement outside a transaction (an API read) has its own; a
    // transaction has one, with its statements as events.
    query: <T>(text: string, params?: readonly unknown[]) =>
      traceStatement(target, text, () => run<T>(pool, text, params)),
    async tx(fn) {
      // The span covers the wait for a connection too, and says so when none could be had.
      const span = TransactionSpan.start(target);
      const client = await pool.connect().catch((err: unknown) => {
        span?.end(err);
        throw err;
      });
      const tags = new Set<string>();
      const after: (() => void)[] = [];
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        // Not awaited: BEGIN goes out with the transaction's first statement, one round trip
        // fewer per transaction. Awaited before COMMIT, so its failure still fails the transaction.
        const begun = client.query('BEGIN');
        begun.catch(() => undefined);
        result = await fn({
          query: <T>(text: string, params?: readonly unknown[]) => {
            span?.statement(text);
            return run<T>(client, text, params);
          },
          tag: (name) => tags.add(name),
          afterCommit: (f) => after.push(f),
        });
        await begun;
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        span?.end(err);
        throw err;
      } finally {
        client.release();
      }
      span?.end();
      // After the commit and outside its error path: a listener that throws must not look like
      // a failed transaction to the rollback (there is nothing left to roll back).
      for (const t of tags) committed.emit(t);
      for (const f of after) f();
      return result;
    },
    onCommit(name, listener) {
      committed.on(name, listener);
      return () => committed.off(name, listener);
    },
    async close() {
      committed.removeAllListeners();
      await pool.end();
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

/** The database a connection string points at, for the transaction spans' attributes. */
function dbTarget(connectionString: string): DbTarget {
  try {
    const url = new URL(connectionString);
    return {
      system: 'postgresql',
      namespace: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
      host: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
    };
  } catch {
    // A key=value connection string: pg accepts it, and the spans can do without the detail.
    return { system: 'postgresql', namespace: 'postgres' };
  }
}
