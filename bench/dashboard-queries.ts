/**
 * The workspace reads: the SQL the service builds (workspaceSql), adapted to each layout's active
 * scope, timed on one warm connection per layout as named prepared statements (the same text
 * every run, as the service's openPg sends them), with EXPLAIN (ANALYZE) of the same prepared
 * statement beside the timings.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { OrderStatus } from '../src/contracts/order-status.js';
import type { WorkspaceFilter } from '../src/mes/workspace/filter.js';
import { WORKSPACE_COLUMNS, workspaceSql } from '../src/mes/workspace/query.js';
import { ACTIVE_MONTH } from '../src/mes/workspace/statuses.js';
import { encodeCursor } from '../src/platform/http/cursor.js';
import { ACTIVE_LIST, QUEUE, type Layout } from './dashboard-layouts.js';
import { ACTIVE_STATUSES } from './dashboard-data.js';

const NEWEST = 'ORDER BY created_at DESC, id DESC';
/** The service's page size (one more row is read to know whether a next page exists). */
const PAGE = 50;
/** The counts as the service reads them (statusCounts in src/mes/workspace/query.ts). */
export const COUNTS = 'SELECT status, orders FROM production_status_counts WHERE orders <> 0';
/** Time after which a read stops being repeated (once it has 20 runs). */
const BUDGET_MS = 20_000;

export interface Cursor {
  at: string;
  id: string;
  /** Orders before it in the whole list, newest first. */
  depth: number;
}

export interface Query {
  key: string;
  label: string;
  sql: string;
  params: unknown[];
  runs: number;
  warmup: number;
  /** Statements run before the timing and after it (the counts' pending deltas). */
  setup?: string[];
  teardown?: string[];
}

/**
 * Deltas not rolled up yet, more than one roll-up interval of status changes at the rates this
 * bench measures (about 2.2 delta rows per change): +1/−1 pairs per status, so the counts stay
 * what they were.
 */
const PENDING_DELTAS = 2000;

export interface Timing {
  runs: number;
  p50: number;
  p95: number;
  /** Server time, planning + execution (EXPLAIN ANALYZE EXECUTE, TIMING OFF), over `serverRuns`. */
  serverP50: number;
  serverP95: number;
  serverRuns: number;
  /** Runs of the statement on a cached generic plan / planned again (custom plans). */
  plans: string;
  buffers: number;
  sort: boolean;
  plan: string;
  /** The p95 of every pass, the kept one among them. */
  passP95?: number[];
  /** The rows' ids (or the counts) of the first run, to check the layouts answer alike. */
  answer: string;
}

export interface QueryContext {
  status: OrderStatus;
  rareStatus: OrderStatus;
  operator: string;
  half: Cursor;
  deep: Cursor;
  runs: number;
  offsetRuns: number;
}

/**
 * A workspace request as the service builds its SQL (workspaceSql, src/mes/workspace/query.ts),
 * so the archive layout runs exactly what ships. The other layouts have no archive_month
 * partitions: their active scope is the list of active statuses instead (per_status prunes to
 * those partitions; single's partial indexes carry that predicate).
 */
export function shippedSql(layout: Layout, f: WorkspaceFilter): { sql: string; params: unknown[] } {
  const { text, values } = workspaceSql(f, PAGE);
  const scope = `archive_month = ${ACTIVE_MONTH}`;
  if (layout === 'archive' || !text.includes(scope)) return { sql: text, params: values };
  return { sql: text.replace(scope, `status IN (${ACTIVE_LIST})`), params: values };
}

/**
 * A read with its page size bound as a parameter instead of written into the SQL, as the service
 * sent it before: a bound LIMIT makes the generic plan look dear (PostgreSQL prices it for 10% of
 * the rows), so the statement is planned again on every run; this shows what that costs.
 */
function boundLimit(query: Query): Query {
  const m = /LIMIT (\d+)\s*$/.exec(query.sql);
  if (!m) throw new Error(`${query.key}: the shipped SQL no longer ends in a written LIMIT`);
  const params = [...query.params, Number(m[1])];
  return { ...query, sql: `${query.sql.slice(0, m.index)}LIMIT $${params.length}`, params };
}

/** The reads of one layout. */
export function layoutQueries(layout: Layout, ctx: QueryContext): Query[] {
  const q = (key: string, label: string, f: WorkspaceFilter | string, runs = ctx.runs): Query => {
    const { sql, params } = typeof f === 'string' ? { sql: f, params: [] } : shippedSql(layout, f);
    return { key, label, sql, params, runs, warmup: Math.min(50, Math.max(1, Math.floor(runs / 5))) };
  };
  const list: Query[] = [
    q('first_one', `first page, one active status (${ctx.status})`, { status: [ctx.status] }),
    q('first_rare', `first page, a rare active status (${ctx.rareStatus})`, { status: [ctx.rareStatus] }),
    q('first_all', 'first page, all active orders (the default list)', {}),
    q('deep_half', `deep page by cursor, all orders, ${ctx.half.depth.toLocaleString('en')} deep (1/2)`, {
      scope: 'all',
      after: encodeCursor(ctx.half),
    }),
    q('deep_90', `deep page by cursor, all orders, ${ctx.deep.depth.toLocaleString('en')} deep (9/10)`, {
      scope: 'all',
      after: encodeCursor(ctx.deep),
    }),
    boundLimit(
      q('deep_90_bound', 'the same 9/10-deep page with its LIMIT bound as a parameter (before the fix)', {
        scope: 'all',
        after: encodeCursor(ctx.deep),
      }),
    ),
    q('filtered', `filtered page (${ctx.status}, ${ctx.operator})`, {
      status: [ctx.status],
      operator: ctx.operator,
    }),
    q('counts', 'counts (production_status_counts, all rolled up)', COUNTS),
    {
      ...q(
        'counts_pending',
        `counts with ${PENDING_DELTAS.toLocaleString('en')} deltas not rolled up yet`,
        COUNTS,
      ),
      setup: [
        `INSERT INTO production_status_deltas (status, delta)
         SELECT (ARRAY[${ACTIVE_LIST}])[1 + (g / 2) % ${ACTIVE_STATUSES.length}], CASE WHEN g % 2 = 0 THEN 1 ELSE -1 END
         FROM generate_series(0, ${PENDING_DELTAS - 1}) AS g`,
      ],
      teardown: ['SELECT mes_roll_up()'],
    },
    q('queue', 'queue page (approved, nobody’s, oldest approval first)', {
      status: ['MANUFACTURING_APPROVED'],
      operator: 'none',
      sort: 'approval',
    }),
  ];
  if (layout === 'single') {
    // The baseline: the same page by OFFSET, and the counts by count(*).
    const offset = (key: string, label: string, c: Cursor): Query => ({
      ...q(
        key,
        label,
        `SELECT ${WORKSPACE_COLUMNS} FROM production_orders ${NEWEST} OFFSET $1 LIMIT 50`,
        ctx.offsetRuns,
      ),
      params: [c.depth + 1],
    });
    list.push(
      offset('offset_half', `OFFSET page, ${ctx.half.depth.toLocaleString('en')} deep (1/2)`, ctx.half),
      offset('offset_90', `OFFSET page, ${ctx.deep.depth.toLocaleString('en')} deep (9/10)`, ctx.deep),
      q(
        'count_star',
        'count(*) per status and of the queue (what the counts view replaces)',
        `SELECT status, count(*) AS orders FROM production_orders GROUP BY status
         UNION ALL SELECT 'QUEUE', count(*) FROM production_orders WHERE ${QUEUE}`,
        3,
      ),
    );
  }
  return list;
}

/** The cursor `depth` orders down the whole list (an index-only walk, once). */
export async function cursorAt(c: pg.Client, depth: number): Promise<Cursor> {
  const r = await c.query<{ at: string; id: string }>(
    `SELECT created_at AS at, id FROM production_orders ${NEWEST} OFFSET $1 LIMIT 1`,
    [depth],
  );
  const row = r.rows[0];
  if (!row) throw new Error(`no order at depth ${depth}`);
  return { at: row.at, id: row.id, depth };
}

export function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p) - 1)] ?? NaN;
}

function literal(c: pg.Client, v: unknown): string {
  if (Array.isArray(v)) return c.escapeLiteral(`{${v.join(',')}}`);
  if (typeof v === 'number') return String(v);
  return c.escapeLiteral(String(v));
}

interface ExplainResult {
  Plan: PlanNode;
  'Planning Time': number;
  'Execution Time': number;
}

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** "Limit > Merge Append > Index Scan ×38": node types top-down, repeated ones counted. */
function summarize(root: PlanNode): { text: string; sort: boolean } {
  const seen = new Map<string, { n: number; names: Set<string> }>();
  let sort = false;
  const walk = (n: PlanNode): void => {
    if (n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort') sort = true;
    const e = seen.get(n['Node Type']) ?? { n: 0, names: new Set<string>() };
    e.n++;
    const name = n['Index Name'] ?? n['Relation Name'];
    if (name) e.names.add(name);
    seen.set(n['Node Type'], e);
    for (const child of n.Plans ?? []) walk(child);
  };
  walk(root);
  const text = [...seen]
    .map(
      ([type, e]) =>
        `${type}${e.n > 1 ? ` ×${e.n}` : ''}${e.names.size === 1 ? ` (${[...e.names][0]})` : ''}`,
    )
    .join(' > ');
  return { text, sort };
}

/** Values left as the server's text: the timing is the server's and the hop, not row decoding. */
const RAW = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

interface Prepared {
  layout: Layout;
  c: pg.Client;
  query: Query;
  run(): Promise<pg.QueryResult>;
  name: string;
  answer: string;
  times: number[];
}

async function prepare(layout: Layout, c: pg.Client, query: Query): Promise<Prepared> {
  // Named by its text, as openPg names statements: two reads with the same SQL share one plan.
  const name = `${layout}_${createHash('sha1').update(query.sql).digest('hex').slice(0, 12)}`;
  const run = (): Promise<pg.QueryResult> =>
    c.query({ name, text: query.sql, values: query.params, types: RAW });
  for (const s of query.setup ?? []) await c.query(s);
  const first = await run();
  const answer = query.key.startsWith('count')
    ? JSON.stringify(
        first.rows.map((r: { status: string; orders: unknown }) => [r.status, Number(r.orders)]).sort(),
      )
    : first.rows.map((r: { id: string }) => r.id).join(',');
  for (let i = 1; i < query.warmup; i++) await run();
  return { layout, c, query, run, name, answer, times: [] };
}

async function explain(p: Prepared): Promise<Timing> {
  p.times.sort((a, b) => a - b);
  // How the timed runs were planned: a cached generic plan, or planned again each run (custom),
  // which PostgreSQL keeps doing when the generic plan looks dearer (a LIMIT $n, say).
  const cache = await p.c.query<{ generic: string; custom: string }>(
    'SELECT generic_plans::text AS generic, custom_plans::text AS custom FROM pg_prepared_statements WHERE name = $1',
    [p.name],
  );
  const args = p.query.params.length ? `(${p.query.params.map((v) => literal(p.c, v)).join(', ')})` : '';
  const explainRuns = percentile(p.times, 0.5) < 20 ? 50 : 1;
  const server: number[] = [];
  let plan: ExplainResult | undefined;
  for (let i = 0; i < explainRuns; i++) {
    const explained = await p.c.query<{ 'QUERY PLAN': [ExplainResult] }>(
      `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) EXECUTE ${p.name}${args}`,
    );
    plan = explained.rows[0]!['QUERY PLAN'][0];
    server.push(plan['Planning Time'] + plan['Execution Time']);
  }
  for (const s of p.query.teardown ?? []) await p.c.query(s);
  server.sort((a, b) => a - b);
  const { text, sort } = summarize(plan!.Plan);
  return {
    runs: p.times.length,
    p50: percentile(p.times, 0.5),
    p95: percentile(p.times, 0.95),
    serverP50: percentile(server, 0.5),
    serverP95: percentile(server, 0.95),
    serverRuns: explainRuns,
    plans: `${cache.rows[0]?.generic ?? '?'} / ${cache.rows[0]?.custom ?? '?'}`,
    buffers: (plan!.Plan['Shared Hit Blocks'] ?? 0) + (plan!.Plan['Shared Read Blocks'] ?? 0),
    sort,
    plan: text,
    answer: p.answer,
  };
}

/**
 * Times every read in every layout that has it: warm-up, then round trips taking turns between
 * the layouts (a burst from another process on a shared machine lands on all of them, not on
 * one), up to `runs` each, fewer once a read has 20 runs and 20 s; then EXPLAIN ANALYZE of the
 * same prepared statement (its cached plan), 50 times for the fast reads, once for slow ones.
 * The whole list runs `passes` times, minutes apart; each read keeps its least disturbed pass
 * (lowest p95), as the geometry benchmark keeps its best run. Slow reads run in the first only.
 */
export async function timeReads(
  clients: Record<Layout, pg.Client>,
  queries: Record<Layout, Query[]>,
  passes: number,
  progress: (pass: number, layout: Layout, key: string, t: Timing) => void,
): Promise<Record<Layout, Map<string, Timing>>> {
  const layouts = Object.keys(queries) as Layout[];
  const out = Object.fromEntries(layouts.map((l) => [l, new Map<string, Timing>()])) as Record<
    Layout,
    Map<string, Timing>
  >;
  const keys = [...new Set(layouts.flatMap((l) => queries[l].map((q) => q.key)))];
  for (let pass = 1; pass <= passes; pass++)
    for (const key of keys) {
      const before = layouts.map((l) => out[l].get(key)).filter((t) => t !== undefined);
      if (pass > 1 && before.every((t) => t.serverRuns === 1)) continue;
      const group: Prepared[] = [];
      for (const l of layouts) {
        const q = queries[l].find((x) => x.key === key);
        if (q) group.push(await prepare(l, clients[l], q));
      }
      const runs = Math.max(...group.map((p) => p.query.runs));
      const started = performance.now();
      for (let i = 0; i < runs && (i < 20 || performance.now() - started < BUDGET_MS); i++)
        for (const p of group) {
          if (i >= p.query.runs) continue;
          const t0 = performance.now();
          await p.run();
          p.times.push(performance.now() - t0);
        }
      for (const p of group) {
        const t = await explain(p);
        const earlier = out[p.layout].get(key);
        t.passP95 = [...(earlier?.passP95 ?? []), t.p95];
        out[p.layout].set(key, earlier && earlier.p95 <= t.p95 ? { ...earlier, passP95: t.passP95 } : t);
        progress(pass, p.layout, key, t);
      }
    }
  return out;
}
