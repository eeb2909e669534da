import { PGlite, types } from '@electric-sql/pglite';
import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { basename } from 'node:path';
import { TransactionSpan, traceStatement } from '../telemetry/db-spans.js';
import type { Db, Queryable, QueryResult } from './types.js';

const parsers = {
  // Same row shapes as node-postgres (see pg.ts): ISO strings for timestamps, numbers for int8.
  [types.TIMESTAMPTZ]: (v: string) => new Date(v).toISOString(),
  [types.TIMESTAMP]: (v: string) => v,
  [types.INT8]: (v: string) => Number(v),
};

/** Opens (creating if needed) a PGlite database in `dataDir`, or in memory when it is undefined. */
export async function openPglite(dataDir?: string): Promise<Db> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ? { dataDir, parsers } : { parsers });
  const wrap = (c: Pick<PGlite, 'query'>): Queryable => ({
    async query<T>(text: string, params?: readonly unknown[]): Promise<QueryResult<T>> {
      const r = await c.query<T>(text, params as unknown[] | undefined);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
  });
  const committed = new EventEmitter().setMaxListeners(0);
  const direct = wrap(db);
  const target = { system: 'postgresql', namespace: dataDir ? basename(dataDir) : 'memory' } as const;
  return {
    engine: 'pglite',
    query: <T>(text: string, params?: readonly unknown[]) =>
      traceStatement(target, text, () => direct.query<T>(text, params)),
    // PGlite is one connection: its transaction() queues other work until this one ends.
    // The same spans as on a PostgreSQL server (see db-spans.ts).
    async tx(fn) {
      const span = TransactionSpan.start(target);
      const tags = new Set<string>();
      const after: (() => void)[] = [];
      let result: Awaited<ReturnType<typeof fn>>;
      try {
        result = await db.transaction((t) => {
          const inner = wrap(t);
          return fn({
            query: <T>(text: string, params?: readonly unknown[]) => {
              span?.statement(text);
              return inner.query<T>(text, params);
            },
            tag: (name) => tags.add(name),
            afterCommit: (f) => after.push(f),
          });
        });
      } catch (err) {
        span?.end(err);
        throw err;
      }
      span?.end();
      for (const t of tags) committed.emit(t);
      for (const f of after) f();
      return result;
    },
    onCommit(name, listener) {
      committed.on(name, listener);
      return () => committed.off(name, listener);
    },
    async close() {
      if (!db.closed) await db.close();
    },
    stats: () => ({ total: 1, idle: 1, waiting: 0 }),
  };
}
