/**
 * The three production_orders layouts the dashboard benchmark compares, one schema each in the
 * bench database:
 *   archive    exactly what ships: the platform and MES migrations, applied by the service's own
 *              migrate(), plus the monthly archive partitions;
 *   per_status the same columns LIST-partitioned by status, one partition per status;
 *   single     one plain table with partial indexes on the active statuses.
 * Every schema gets the real migrations (counts, operator stats, live feed, trigger function);
 * per_status and single then swap production_orders for their own table under the same trigger.
 * Indexes are built after the load (a sorted build, instead of 10 M single inserts per index).
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { ORDER_STATUSES } from '../src/contracts/order-status.js';
import { migrate } from '../src/platform/db/migrate.js';
import { openPg } from '../src/platform/db/pg.js';
import { ACTIVE_STATUSES, COPY_COLUMNS, OPERATORS } from './dashboard-data.js';

export type Layout = 'archive' | 'per_status' | 'single';
export const LAYOUTS: readonly Layout[] = ['archive', 'per_status', 'single'];

export const ACTIVE_LIST = ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ');
/** The orders the counts' 'QUEUE' row counts: approved, nobody's yet. */
export const QUEUE = "status = 'MANUFACTURING_APPROVED' AND operator IS NULL";

const MIGRATIONS = [
  { label: 'platform', dir: fileURLToPath(new URL('../src/platform/migrations/', import.meta.url)) },
  { label: 'mes', dir: fileURLToPath(new URL('../src/mes/migrations/', import.meta.url)) },
];

/** The bench database URL with search_path set to one layout's schema. */
export function schemaUrl(dbUrl: string, schema: Layout): string {
  const u = new URL(dbUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

export async function connect(
  dbUrl: string,
  schema: Layout,
  name = 'atelier-bench-dashboard',
): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: schemaUrl(dbUrl, schema), application_name: name });
  // A connection the server ends (the clean-up's DROP DATABASE … WITH (FORCE) after a failure)
  // must not crash the process before the failure that caused it has been reported.
  c.on('error', (err) => console.error(`${schema} connection: ${err.message}`));
  await c.connect();
  return c;
}

/** What a layout runs once its rows are in: keys, indexes, in order. */
export interface PendingIndexes {
  statements: string[];
  /** The archive layout's index definitions before they were dropped, to check the rebuild. */
  before?: string[];
}

async function indexDefinitions(
  c: pg.Client,
): Promise<{ constraints: [string, string][]; indexes: string[] }> {
  const constraints = await c.query<{ name: string; def: string }>(
    `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint
     WHERE conrelid = 'production_orders'::regclass AND contype IN ('p', 'u', 'x') ORDER BY conname`,
  );
  // Indexes of the partitioned table, then those made on one partition only (not clones).
  const indexes = await c.query<{ def: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
     WHERE (i.indrelid = 'production_orders'::regclass
            OR (i.indrelid IN (SELECT relid FROM pg_partition_tree('production_orders') WHERE isleaf)
                AND NOT EXISTS (SELECT 1 FROM pg_inherits h WHERE h.inhrelid = i.indexrelid)))
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)
     ORDER BY 1`,
  );
  return {
    constraints: constraints.rows.map((r) => [r.name, r.def]),
    indexes: indexes.rows.map((r) => r.def),
  };
}

/** One line per index and key, to compare the archive layout before and after the rebuild. */
export async function indexSignature(c: pg.Client): Promise<string[]> {
  const d = await indexDefinitions(c);
  return [...d.constraints.map(([n, def]) => `${n}: ${def}`), ...d.indexes].sort();
}

/** Drops the archive layout's keys and indexes, returning the statements that rebuild them. */
async function deferArchiveIndexes(c: pg.Client): Promise<PendingIndexes> {
  const before = await indexSignature(c);
  const d = await indexDefinitions(c);
  for (const [name] of d.constraints) await c.query(`ALTER TABLE production_orders DROP CONSTRAINT ${name}`);
  for (const def of d.indexes) {
    const name = /^CREATE (?:UNIQUE )?INDEX (\S+) ON/.exec(def)?.[1];
    await c.query(`DROP INDEX ${name}`);
  }
  return {
    before,
    statements: [
      ...d.constraints.map(([name, def]) => `ALTER TABLE production_orders ADD CONSTRAINT ${name} ${def}`),
      // pg_get_indexdef names a partitioned table's index ON ONLY (pg_dump's form, no children).
      ...d.indexes.map((def) => def.replace(' ON ONLY ', ' ON ')),
    ],
  };
}

/** The archive layout's whole-table index definitions, moved to another schema. */
async function sharedIndexes(admin: pg.Client, schema: Layout): Promise<string[]> {
  const r = await admin.query<{ def: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
     WHERE i.indrelid = 'archive.production_orders'::regclass
       AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) ORDER BY 1`,
  );
  // Read after the archive layout is finished: its indexes are back by then.
  if (r.rows.length === 0) throw new Error('archive.production_orders has no indexes yet');
  return r.rows.map((x) =>
    x.def.replace(' ON ONLY archive.', ` ON ${schema}.`).replace(' ON archive.', ` ON ${schema}.`),
  );
}

function perStatusIndexes(): string[] {
  const part = (s: string): string => `production_orders_${s.toLowerCase()}`;
  return [
    'ALTER TABLE production_orders ADD PRIMARY KEY (id, status)',
    // A partition holds one status, so (created_at DESC, id DESC) of the whole list is also
    // each status's newest-first order, and the operator index is each status's operator page.
    ...ACTIVE_STATUSES.map((s) => `CREATE INDEX ${part(s)}_due ON ${part(s)} (due_at, id)`),
    `CREATE INDEX per_status_queue_by_age ON ${part('MANUFACTURING_APPROVED')} (approved_at, id) WHERE operator IS NULL`,
    `CREATE INDEX per_status_queue_by_due ON ${part('MANUFACTURING_APPROVED')} (due_at, id) WHERE operator IS NULL`,
  ];
}

function singleIndexes(): string[] {
  const active = `status IN (${ACTIVE_LIST})`;
  return [
    'ALTER TABLE production_orders ADD PRIMARY KEY (id)',
    `CREATE INDEX single_active_by_status_age ON production_orders (status, created_at DESC, id DESC) WHERE ${active}`,
    `CREATE INDEX single_active_by_status_due ON production_orders (status, due_at, id) WHERE ${active}`,
    `CREATE INDEX single_active_by_due ON production_orders (due_at, id) WHERE ${active}`,
    `CREATE INDEX single_active_by_operator_status ON production_orders (operator, status, created_at DESC, id DESC)
       WHERE operator IS NOT NULL AND ${active}`,
    `CREATE INDEX single_queue_by_age ON production_orders (approved_at, id)
       WHERE status = 'MANUFACTURING_APPROVED' AND operator IS NULL`,
    `CREATE INDEX single_queue_by_due ON production_orders (due_at, id)
       WHERE status = 'MANUFACTURING_APPROVED' AND operator IS NULL`,
  ];
}

/** Checks the shipped table still has the columns and types the COPY encoder writes. */
async function checkColumns(c: pg.Client): Promise<void> {
  const r = await c.query<{ name: string; type: string; required: boolean }>(
    `SELECT attname AS name, format_type(atttypid, NULL) AS type, attnotnull AND NOT atthasdef AS required
     FROM pg_attribute WHERE attrelid = 'production_orders'::regclass AND attnum > 0 AND NOT attisdropped`,
  );
  const have = new Map(r.rows.map((x) => [x.name, x.type]));
  const wire: Record<string, string> = {
    uuid: 'uuid',
    text: 'text',
    int4: 'integer',
    int8: 'bigint',
    jsonb: 'jsonb',
    float8: 'double precision',
    _text: 'text[]',
    timestamptz: 'timestamp with time zone',
    date: 'date',
  };
  const wrong = COPY_COLUMNS.filter(([name, type]) => have.get(name) !== wire[type]).map(
    ([name, type]) => `${name} (bench writes ${wire[type]}, table has ${have.get(name) ?? 'no such column'})`,
  );
  const missing = r.rows
    .filter((x) => x.required && !COPY_COLUMNS.some(([n]) => n === x.name))
    .map((x) => x.name);
  if (wrong.length || missing.length)
    throw new Error(
      `production_orders no longer matches the bench's COPY encoder (bench/dashboard-data.ts COPY_COLUMNS): ${[
        ...wrong,
        ...missing.map((m) => `${m} (required, not written by the bench)`),
      ].join('; ')}`,
    );
}

/**
 * Creates one layout's schema, empty and without secondary indexes, its trigger disabled for
 * the load. `months` are the archive months (epoch ms of the 1st) the data ends in.
 */
export async function createLayout(
  dbUrl: string,
  admin: pg.Client,
  layout: Layout,
  months: number[],
): Promise<PendingIndexes> {
  await admin.query(`CREATE SCHEMA ${layout}`);
  const db = await openPg({
    connectionString: schemaUrl(dbUrl, layout),
    max: 1,
    applicationName: 'atelier-bench',
  });
  try {
    await migrate(db, MIGRATIONS);
  } finally {
    await db.close();
  }
  const c = await connect(dbUrl, layout);
  try {
    let pending: PendingIndexes;
    if (layout === 'archive') {
      await checkColumns(c);
      for (const m of months)
        await c.query('SELECT mes_ensure_archive_month($1::date)', [new Date(m).toISOString().slice(0, 10)]);
      pending = await deferArchiveIndexes(c);
    } else {
      // The same trigger as the shipped table (its definition read back, not retyped).
      const triggers = await admin.query<{ def: string }>(
        `SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger
         WHERE tgrelid = 'archive.production_orders'::regclass AND NOT tgisinternal AND tgparentid = 0`,
      );
      await c.query('DROP TABLE production_orders CASCADE');
      if (layout === 'per_status') {
        await c.query(
          'CREATE TABLE production_orders (LIKE archive.production_orders INCLUDING DEFAULTS) PARTITION BY LIST (status)',
        );
        for (const s of ORDER_STATUSES)
          await c.query(
            `CREATE TABLE production_orders_${s.toLowerCase()} PARTITION OF production_orders FOR VALUES IN ('${s}')`,
          );
        pending = { statements: [...perStatusIndexes(), ...(await sharedIndexes(admin, layout))] };
      } else {
        await c.query('CREATE TABLE production_orders (LIKE archive.production_orders INCLUDING DEFAULTS)');
        pending = { statements: [...singleIndexes(), ...(await sharedIndexes(admin, layout))] };
      }
      for (const t of triggers.rows) await c.query(t.def.replace(/\barchive\./g, `${layout}.`));
    }
    // Loaded rows are history: no counts, stats or feed rows one by one (they are filled with
    // one GROUP BY afterwards); the trigger comes back on before anything is measured.
    await c.query('ALTER TABLE production_orders DISABLE TRIGGER USER');
    await c.query(
      `INSERT INTO operators (id, name, email, skills, capacity, auto_assign)
       SELECT id, 'Operator ' || id, id || '@atelier.test', '{casting,polishing,stone-setting}', 20, true
       FROM unnest($1::text[]) AS id`,
      [OPERATORS],
    );
    return pending;
  } finally {
    await c.end();
  }
}

export interface Finished {
  indexMs: number;
  countsMs: number;
  vacuumMs: number;
  bytes: number;
}

/** Builds the indexes, fills counts and stats, turns the trigger back on, VACUUM ANALYZE. */
export async function finishLayout(
  dbUrl: string,
  layout: Layout,
  pending: PendingIndexes,
): Promise<Finished> {
  const c = await connect(dbUrl, layout);
  try {
    await c.query("SET maintenance_work_mem = '1GB'");
    let t = performance.now();
    for (const s of pending.statements) await c.query(s);
    if (pending.before) {
      const after = await indexSignature(c);
      if (after.join('\n') !== pending.before.join('\n'))
        throw new Error(
          `archive indexes differ after the rebuild:\n${after.join('\n')}\nvs\n${pending.before.join('\n')}`,
        );
    }
    const indexMs = performance.now() - t;

    t = performance.now();
    // Through the design's own path: the totals as deltas, then its roll-up folds them in.
    await c.query(
      `INSERT INTO production_status_deltas (status, delta)
       SELECT status, count(*) FROM production_orders GROUP BY status
       UNION ALL SELECT 'QUEUE', count(*) FROM production_orders WHERE ${QUEUE}`,
    );
    await c.query(
      `INSERT INTO operator_stat_deltas (operator, on_hand, taken, completed, making_ms, assigned_at)
       SELECT operator, count(*) FILTER (WHERE mes_on_hand(status, operator)), count(*), count(completed_at),
              COALESCE(sum((extract(epoch FROM completed_at - claimed_at) * 1000)::bigint), 0), max(assigned_at)
       FROM production_orders WHERE operator IS NOT NULL GROUP BY operator`,
    );
    await c.query('SELECT mes_roll_up()');
    await c.query('ALTER TABLE production_orders ENABLE TRIGGER USER');
    const fed = await c.query<{ n: number }>('SELECT count(*)::int AS n FROM workspace_events');
    if (fed.rows[0]!.n !== 0)
      throw new Error(`${layout}: the trigger fired during the load (${fed.rows[0]!.n} feed rows)`);
    const countsMs = performance.now() - t;

    t = performance.now();
    await c.query('VACUUM ANALYZE production_orders');
    await c.query(
      'VACUUM ANALYZE production_status_totals, production_status_deltas, operator_stats, operator_stat_deltas',
    );
    const vacuumMs = performance.now() - t;
    const size = await c.query<{ bytes: string }>(
      // pg_partition_tree has no rows for a plain table.
      `SELECT COALESCE((SELECT sum(pg_total_relation_size(relid)) FROM pg_partition_tree('production_orders')),
                       pg_total_relation_size('production_orders'))::text AS bytes`,
    );
    return { indexMs, countsMs, vacuumMs, bytes: Number(size.rows[0]!.bytes) };
  } finally {
    await c.end();
  }
}
