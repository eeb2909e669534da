/**
 * Dashboard benchmark (issue 4): the MES operator workspace's reads and status changes with
 * 10 M production orders, in three layouts of production_orders, to decide the layout with
 * numbers:
 *   archive    what ships (src/mes/migrations): active partition + monthly archive partitions;
 *   per_status one LIST partition per status;
 *   single     one table with partial indexes on the active statuses, also the OFFSET baseline.
 * Loads the orders (binary COPY with a progress bar), times first / deep / filtered / queue
 * pages and the counts on warm prepared statements, status changes per second with several
 * connections, and Redis cache-aside for the counts and the first page. Writes the tables to
 * bench/results/dashboard.md.
 *
 *   npm run bench:dashboard                                 (10 M orders, ~25 min on 2 cores)
 *   BENCH_DASHBOARD_ORDERS=200000 npm run bench:dashboard   (a quick check)
 *   BENCH_DASHBOARD_KEEP=1 keeps the database; BENCH_DASHBOARD_REUSE=1 then skips the load.
 *   BENCH_DASHBOARD_FILL=copy COPYs every layout from the generator (default: COPY the archive
 *   layout, INSERT ... SELECT the others from it), BENCH_DASHBOARD_RUNS (500),
 *   BENCH_DASHBOARD_READ_PASSES (2),
 *   BENCH_DASHBOARD_OFFSET_RUNS (5), BENCH_DASHBOARD_WRITERS (4),
 *   BENCH_DASHBOARD_WRITE_SECONDS (10 per round), BENCH_DASHBOARD_WRITE_ROUNDS (3),
 *   REDIS_URL (redis://127.0.0.1:6379).
 */
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import { cacheAside, PAYS_OFF_SHARE, type CacheRow } from './dashboard-cache.js';
import { archiveMonths, type DataSpec } from './dashboard-data.js';
import { connect, createLayout, finishLayout, LAYOUTS, type Layout } from './dashboard-layouts.js';
import { copyOrders, insertFromArchive } from './dashboard-load.js';
import {
  cursorAt,
  layoutQueries,
  timeReads,
  type Query,
  type QueryContext,
  type Timing,
} from './dashboard-queries.js';
import { COUNT_ROLL_UP_MS, rollUpCounts } from '../src/mes/workspace/roll-up.js';
import { commitToBrowser, type LiveResult } from './dashboard-live.js';
import { countsOff, statusChanges, type WriteResult } from './dashboard-writes.js';

const PG = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB = 'atelier_bench_dashboard';
const ORDERS = Number(process.env.BENCH_DASHBOARD_ORDERS ?? 10_000_000);
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 500);
const READ_PASSES = Number(process.env.BENCH_DASHBOARD_READ_PASSES ?? 2);
const OFFSET_RUNS = Number(process.env.BENCH_DASHBOARD_OFFSET_RUNS ?? 5);
const WRITERS = Number(process.env.BENCH_DASHBOARD_WRITERS ?? 4);
const WRITE_SECONDS = Number(process.env.BENCH_DASHBOARD_WRITE_SECONDS ?? 10);
const WRITE_ROUNDS = Number(process.env.BENCH_DASHBOARD_WRITE_ROUNDS ?? 3);
const FILL = process.env.BENCH_DASHBOARD_FILL === 'copy' ? 'copy' : 'insert';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const SEED = 20_240_404;

/** What the issue asks of the workspace, with 10 M orders. */
const REQUIRED = { orders: 10_000_000, p95Ms: 2, cursorVsOffset: 50, changesVsSingle: 0.8, liveP95Ms: 500 };
/** Status changes committed while headless Chromium listens to the workspace stream. */
const LIVE = { rate: 200, seconds: 10 };
const AMQP_URL = process.env.BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
/** The reads with the 2 ms p95 requirement. */
const GATED = [
  'first_one',
  'first_rare',
  'first_all',
  'deep_half',
  'deep_90',
  'filtered',
  'counts',
  'counts_pending',
];

interface Load {
  how: string;
  fillMs: number;
  indexMs: number;
  countsMs: number;
  vacuumMs: number;
  bytes: number;
}

interface Meta {
  endMs: number;
  loads: Record<Layout, Load>;
  loadedAt: string;
}

const dbUrl = (): string => {
  const u = new URL(PG);
  u.pathname = `/${DB}`;
  return u.toString();
};

/** A loaded database of the same size, when BENCH_DASHBOARD_REUSE=1 and there is one. */
async function reusable(admin: pg.Client): Promise<Meta | undefined> {
  if (process.env.BENCH_DASHBOARD_REUSE !== '1') return undefined;
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB]);
  if (exists.rowCount === 0) return undefined;
  const c = new pg.Client({ connectionString: dbUrl() });
  await c.connect();
  try {
    const r = await c.query<{ end_ms: string; loads: Record<Layout, Load>; loaded_at: string }>(
      'SELECT end_ms::text, loads, loaded_at::text FROM bench_meta WHERE orders = $1 AND seed = $2',
      [ORDERS, SEED],
    );
    const row = r.rows[0];
    return row ? { endMs: Number(row.end_ms), loads: row.loads, loadedAt: row.loaded_at } : undefined;
  } catch {
    return undefined; // no bench_meta: a load that did not finish
  } finally {
    await c.end();
  }
}

async function load(admin: pg.Client): Promise<Meta> {
  await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${DB}`);
  const today = new Date();
  const spec: DataSpec = {
    orders: ORDERS,
    seed: SEED,
    endMs: Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate()),
  };
  const bench = new pg.Client({ connectionString: dbUrl() });
  bench.on('error', (err) => console.error(`bench connection: ${err.message}`));
  await bench.connect();
  const loads = {} as Record<Layout, Load>;
  try {
    // The layouts one after the other: per_status and single read the finished archive layout.
    for (const layout of LAYOUTS) {
      const pending = await createLayout(dbUrl(), bench, layout, archiveMonths(spec.endMs));
      const c = await connect(dbUrl(), layout);
      let fillMs: number;
      let how: string;
      try {
        if (layout === 'archive' || FILL === 'copy') {
          fillMs = await copyOrders(c, spec, `COPY ${layout}`);
          how = 'binary COPY FROM STDIN';
        } else {
          fillMs = await insertFromArchive(c, layout, ORDERS, `INSERT ${layout}`);
          how = 'INSERT … SELECT from archive';
        }
      } finally {
        await c.end();
      }
      console.error(`${layout}: building indexes, counts, VACUUM ANALYZE …`);
      const done = await finishLayout(dbUrl(), layout, pending);
      loads[layout] = { how, fillMs, ...done };
      console.error(
        `${layout}: loaded in ${((fillMs + done.indexMs + done.countsMs + done.vacuumMs) / 1000).toFixed(0)} s`,
      );
    }
    await bench.query(
      `CREATE TABLE bench_meta (orders int, seed int, end_ms bigint, loads jsonb, loaded_at timestamptz DEFAULT now())`,
    );
    await bench.query('INSERT INTO bench_meta (orders, seed, end_ms, loads) VALUES ($1, $2, $3, $4)', [
      ORDERS,
      SEED,
      spec.endMs,
      JSON.stringify(loads),
    ]);
  } finally {
    await bench.end();
  }
  return { endMs: spec.endMs, loads, loadedAt: new Date().toISOString() };
}

const fmt = (ms: number): string =>
  Number.isNaN(ms)
    ? 'n/a'
    : ms < 10
      ? ms.toFixed(3)
      : ms < 100
        ? ms.toFixed(1)
        : Math.round(ms).toLocaleString('en');
const sec = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
const int = (n: number): string => Math.round(n).toLocaleString('en');
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

async function main(): Promise<void> {
  const t0 = performance.now();
  const loadAtStart = loadavg()[0]!;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  const settings = await admin.query<{ name: string; setting: string }>(
    `SELECT name, current_setting(name) AS setting FROM pg_settings
     WHERE name IN ('server_version', 'shared_buffers', 'work_mem', 'max_wal_size', 'synchronous_commit', 'jit')`,
  );
  const setting = (n: string): string => settings.rows.find((r) => r.name === n)?.setting ?? '?';
  let meta = await reusable(admin);
  const reused = meta !== undefined;
  if (reused) console.error(`Reusing ${DB} (${int(ORDERS)} orders, loaded ${meta!.loadedAt}).`);
  else console.error(`Loading ${int(ORDERS)} orders into ${DB} (three layouts) …`);

  try {
    meta ??= await load(admin);
    const url = dbUrl();
    const clients = {} as Record<Layout, pg.Client>;
    for (const l of LAYOUTS) clients[l] = await connect(url, l);
    // The counters as the running service keeps them (rolled up, delta tables vacuumed): a
    // reused database carries the dead delta rows of its last run's status changes.
    for (const l of LAYOUTS) await rollUpCounts(clients[l], 0);
    const activeCount = Number(
      (
        await clients.archive.query<{ n: string }>(
          "SELECT count(*)::text AS n FROM production_orders WHERE archive_month = 'infinity'",
        )
      ).rows[0]!.n,
    );

    // Reads, every layout, before anything changes the rows.
    console.error('Timing the workspace reads …');
    const half = await cursorAt(clients.single, Math.floor(ORDERS / 2));
    const deep = await cursorAt(clients.single, Math.floor(ORDERS * 0.9));
    const ctx: QueryContext = {
      status: 'MANUFACTURING_STARTED',
      rareStatus: 'PRICING_FAILED',
      operator: 'op-01',
      half,
      deep,
      runs: RUNS,
      offsetRuns: OFFSET_RUNS,
    };
    const queries = {} as Record<Layout, Query[]>;
    for (const l of LAYOUTS) queries[l] = layoutQueries(l, ctx);
    const labels = new Map(queries.single.map((q) => [q.key, q.label]));
    const timings = await timeReads(clients, queries, READ_PASSES, (pass, layout, key, t) =>
      console.error(
        `  pass ${pass} ${layout.padEnd(10)} ${key.padEnd(14)} p50 ${fmt(t.p50)} ms  p95 ${fmt(t.p95)} ms  ${t.plan}`,
      ),
    );

    // The layouts must answer alike (same rows, same order); the cursor page is the OFFSET page.
    const checks: { what: string; ok: boolean }[] = [];
    const single = timings.single;
    checks.push({
      what: 'cursor pages return the rows of the OFFSET pages at the same depth',
      ok:
        single.get('deep_half')!.answer.split(',').slice(0, 50).join(',') ===
          single.get('offset_half')!.answer &&
        single.get('deep_90')!.answer.split(',').slice(0, 50).join(',') === single.get('offset_90')!.answer,
    });
    checks.push({
      what: 'the counts view equals count(*) per status and of the queue (single layout)',
      ok: single.get('counts')!.answer === single.get('count_star')!.answer,
    });
    if (!reused)
      for (const key of timings.archive.keys())
        checks.push({
          what: `${key}: the three layouts return the same rows`,
          ok: LAYOUTS.every((l) => timings[l].get(key)!.answer === timings.archive.get(key)!.answer),
        });

    // Before the status changes, so the cache is weighed against the reads timed above.
    console.error('Redis cache-aside …');
    const cache = await cacheAside(clients.archive, REDIS_URL, 2000);

    // Status changes: rounds taking turns between the layouts, so a burst from another process
    // on this shared machine lands on one round, not on one layout; the median round counts.
    const rounds = {} as Record<Layout, WriteResult[]>;
    for (const l of LAYOUTS) rounds[l] = [];
    for (let round = 1; round <= WRITE_ROUNDS; round++)
      for (const layout of LAYOUTS) {
        const w = await statusChanges(url, layout, {
          workers: WRITERS,
          seconds: WRITE_SECONDS,
          seed: SEED + round,
        });
        rounds[layout].push(w);
        console.error(`Status changes, ${layout}, round ${round}: ${int(w.perSecond)} changes/s`);
      }
    const writes = {} as Record<Layout, WriteResult>;
    for (const l of LAYOUTS)
      writes[l] = [...rounds[l]].sort((x, y) => x.perSecond - y.perSecond)[Math.floor(WRITE_ROUNDS / 2)]!;
    for (const layout of LAYOUTS) {
      const off = await countsOff(url, layout);
      checks.push({
        what: `${layout}: counts still equal count(*) per status after the status changes${off.length ? ` (${off.join('; ')})` : ''}`,
        ok: off.length === 0,
      });
    }
    for (const c of Object.values(clients)) await c.end();

    console.error(`Commit to browser (${LIVE.rate} changes/s for ${LIVE.seconds} s) …`);
    const live = await commitToBrowser(url, AMQP_URL, { ...LIVE, seed: SEED });
    checks.push({
      what: `every committed change reached the browser (${int(live.received)} of ${int(live.changes)})`,
      ok: live.received === live.changes && live.changes > 0,
    });

    const markdown = report({
      meta,
      reused,
      activeCount,
      timings,
      labels,
      writes,
      rounds,
      cache,
      live,
      checks,
      setting,
      loadAtStart,
      t0,
    });
    console.log(markdown);
    writeFileSync(
      new URL('./results/dashboard.md', import.meta.url).pathname.replace('/dist/bench/', '/bench/'),
      `${markdown}\n`,
    );
    if (checks.some((c) => !c.ok)) {
      console.error('A check failed (see "Checks").');
      process.exitCode = 1;
    }
  } catch (err) {
    // Reported before the clean-up below ends the connections, so the cause is what shows.
    console.error('The dashboard benchmark failed:', err);
    process.exitCode = 1;
  } finally {
    if (process.env.BENCH_DASHBOARD_KEEP === '1') console.error(`Kept ${DB} (BENCH_DASHBOARD_KEEP=1).`);
    else await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
    await admin.end();
  }
}

interface ReportInput {
  meta: Meta;
  reused: boolean;
  activeCount: number;
  timings: Record<Layout, Map<string, Timing>>;
  labels: Map<string, string>;
  writes: Record<Layout, WriteResult>;
  rounds: Record<Layout, WriteResult[]>;
  cache: CacheRow[] | { unreachable: string };
  live: LiveResult;
  checks: { what: string; ok: boolean }[];
  setting: (name: string) => string;
  loadAtStart: number;
  t0: number;
}

function report(r: ReportInput): string {
  const { timings, writes } = r;
  const t = (l: Layout, key: string): Timing => timings[l].get(key)!;
  const offsetRatio = (l: Layout): number =>
    Math.min(
      t('single', 'offset_half').p50 / t(l, 'deep_half').p50,
      t('single', 'offset_90').p50 / t(l, 'deep_90').p50,
    );
  const worstP95 = (l: Layout): number => Math.max(...GATED.map((k) => t(l, k).p95));
  const vsSingle = (l: Layout): number => writes[l].perSecond / writes.single.perSecond;
  const sorts = (l: Layout): string[] => [...GATED, 'queue'].filter((k) => t(l, k).sort);
  const meets = (l: Layout): boolean =>
    worstP95(l) < REQUIRED.p95Ms &&
    offsetRatio(l) >= REQUIRED.cursorVsOffset &&
    vsSingle(l) >= REQUIRED.changesVsSingle &&
    sorts(l).length === 0;
  /** A requirement row: the worst p95 round trip of the reads, their server execution beside. */
  const gate = (what: string, keys: string[]): string => {
    const p95 = Math.max(...keys.map((k) => t('archive', k).p95));
    const server = Math.max(...keys.map((k) => t('archive', k).serverP95));
    return `| ${what}, p95 | < ${REQUIRED.p95Ms} ms | ${fmt(p95)} ms (server ${fmt(server)} ms) | ${verdict(p95 < REQUIRED.p95Ms)} |`;
  };
  const small = ORDERS < REQUIRED.orders;

  const lines = [
    `Dashboard benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, PostgreSQL ${r.setting('server_version')} as configured (shared_buffers ${r.setting('shared_buffers')}, work_mem ${r.setting('work_mem')}, max_wal_size ${r.setting('max_wal_size')}, synchronous_commit ${r.setting('synchronous_commit')}, jit ${r.setting('jit')}), load average ${r.loadAtStart.toFixed(2)} at the start and ${loadavg()[0]!.toFixed(2)} at the end.`,
    '',
    `${int(ORDERS)} production orders over three years (seed ${SEED}): ${int(r.activeCount)} active (${((r.activeCount / ORDERS) * 100).toFixed(1)}%), the rest ended (≈92% CLOSED, 5% CANCELLED, 3% REJECTED), 30 operators, 70% b2c / 30% b2b over 50 partners.${r.reused ? ` Data reused from the load of ${r.meta.loadedAt} (BENCH_DASHBOARD_REUSE=1; status changes of earlier runs remain in it).` : ''}`,
    '',
    '### Load',
    '',
    '| layout | rows in by | fill | indexes + keys | counts + stats (one GROUP BY) | VACUUM ANALYZE | total | size (table + indexes) |',
    '|---|---|---:|---:|---:|---:|---:|---:|',
    ...LAYOUTS.map((l) => {
      const x = r.meta.loads[l];
      return `| ${l} | ${x.how} | ${sec(x.fillMs)} (${int(ORDERS / (x.fillMs / 1000))}/s) | ${sec(x.indexMs)} | ${sec(x.countsMs)} | ${sec(x.vacuumMs)} | ${sec(x.fillMs + x.indexMs + x.countsMs + x.vacuumMs)} | ${(x.bytes / 2 ** 30).toFixed(2)} GB |`;
    }),
    '',
    `archive: the MES migrations as shipped (platform + mes, via migrate()), ${archiveMonths(r.meta.endMs).length} monthly archive partitions made with mes_ensure_archive_month before the load; keys and indexes dropped for the load and rebuilt from their own definitions (checked identical). per_status: LIKE archive.production_orders, LIST by status, 13 partitions, the same whole-list indexes, (due_at, id) on the active ones, the queue indexes on MANUFACTURING_APPROVED. single: one table, PRIMARY KEY (id), the same whole-list indexes plus the active-status indexes as partial indexes (WHERE status IN (active…)). All three: the shipped trigger, disabled during the load; counts (with the queue) and operator stats then filled by GROUP BY as deltas and folded in by the design's mes_roll_up(); trigger enabled before anything is measured.`,
    '',
    `### Workspace reads (${READ_PASSES} passes of ${RUNS} runs after warm-up, fewer when they would take over 20 s; OFFSET pages ${OFFSET_RUNS} runs and count(*) 3, first pass only)`,
    '',
    `p50 / p95 = client round trip of a named prepared statement on one warm localhost connection per layout (node-postgres, values left as text, not parsed): it includes the localhost hop and the client, so it is a conservative "server-side" time, and the one the verdicts use; the layouts take turns run by run, and each read keeps its least disturbed pass (lowest p95: the machine is shared). Server = planning + execution time of EXPLAIN (ANALYZE, BUFFERS, TIMING OFF) EXECUTE of the same prepared statement, 50 runs (one for reads slower than 20 ms): planning counts, because a statement PostgreSQL keeps planning again (custom plans, next column: its timed runs on a cached generic plan / planned again) pays it on every run; buffers = pages one run touches. The SQL is the service's own (workspaceSql in src/mes/workspace/query.ts, statuses as literals, page size 50 + 1); per_status and single run it with status IN (the active statuses) in place of archive_month = 'infinity'.`,
    '',
    '| query | layout | runs | p50 ms | p95 ms | p95 each pass | server: planning + execution p50 / p95 ms | runs on a generic / custom plan | buffers | sort in plan | plan |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---|---|',
    ...[...r.labels].flatMap(([key, label]) =>
      LAYOUTS.filter((l) => timings[l].has(key)).map((l) => {
        const x = t(l, key);
        return `| ${label} | ${l} | ${x.runs} | ${fmt(x.p50)} | ${fmt(x.p95)} | ${(x.passP95 ?? []).map(fmt).join(' / ')} | ${fmt(x.serverP50)} / ${fmt(x.serverP95)} | ${x.plans} | ${int(x.buffers)} | ${x.sort ? 'yes' : 'no'} | ${x.plan} |`;
      }),
    ),
    '',
    `### Status changes (${WRITERS} connections, ${WRITE_ROUNDS} rounds × ${WRITE_SECONDS} s taking turns between the layouts, one UPDATE per transaction, trigger on, mes_roll_up() every ${COUNT_ROLL_UP_MS} ms and the delta tables vacuumed every second, as the service runs them)`,
    '',
    'Figures of the median round; every round in the second column.',
    '',
    '| layout | changes/s | rounds | vs single | p50 / p95 ms | rows moved to another partition | deadlocks (retried) |',
    '|---|---:|---|---:|---:|---:|---:|',
    ...LAYOUTS.map(
      (l) =>
        `| ${l} | ${int(writes[l].perSecond)} | ${r.rounds[l].map((w) => int(w.perSecond)).join(' / ')} | ${(vsSingle(l) * 100).toFixed(0)}% | ${fmt(writes[l].p50)} / ${fmt(writes[l].p95)} | ${int(writes[l].moved)} of ${int(writes[l].changes)} | ${writes[l].deadlocks} |`,
    ),
    '',
    '### Redis cache-aside (archive layout)',
    '',
    ...('unreachable' in r.cache
      ? [`Redis at ${REDIS_URL} unreachable (${r.cache.unreachable}): section left out.`]
      : [
          `PostgreSQL = the prepared read plus JSON.stringify of the rows (what the service does to answer); hit = GET of the cached JSON, sent as is; miss = GET, the PostgreSQL read, SET with a TTL. A cache pays off here when a hit saves at least ${PAYS_OFF_SHARE * 100}% at p50 and p95. 2,000 runs each (misses 500).`,
          '',
          '| read | PostgreSQL p50 / p95 µs | Redis hit p50 / p95 µs | gain per hit p50 / p95 µs | miss p50 / p95 µs | pays off |',
          '|---|---:|---:|---:|---:|---|',
          ...r.cache.map(
            (c) =>
              `| ${c.read} | ${int(c.pg.p50)} / ${int(c.pg.p95)} | ${int(c.hit.p50)} / ${int(c.hit.p95)} | ${int(c.pg.p50 - c.hit.p50)} / ${int(c.pg.p95 - c.hit.p95)} | ${int(c.miss.p50)} / ${int(c.miss.p95)} | ${c.paysOff ? 'yes' : 'no'} |`,
          ),
        ]),
    '',
    '### The layouts against the requirements',
    '',
    '| layout | worst p95 of first pages, deep pages, filtered page, counts | deep page: OFFSET p50 / cursor p50 (worse depth) | status changes/s vs single | plans with a Sort | meets all |',
    '|---|---:|---:|---:|---|---|',
    ...LAYOUTS.map(
      (l) =>
        `| ${l} | ${fmt(worstP95(l))} ms | ${int(offsetRatio(l))}× | ${(vsSingle(l) * 100).toFixed(0)}% | ${sorts(l).join(', ') || 'none'} | ${meets(l) ? 'yes' : 'no'} |`,
    ),
    '',
    `Layouts meeting every requirement: ${LAYOUTS.filter(meets).join(', ') || 'none'}.`,
    '',
    `### Requirements (archive layout, what ships${small ? `; ${int(ORDERS)} orders, the requirement is at ${int(REQUIRED.orders)}` : ''})`,
    '',
    '| requirement | baseline to beat | measured | verdict |',
    '|---|---:|---:|---|',
    `| orders in the table | ${int(REQUIRED.orders)} | ${int(ORDERS)} | ${verdict(!small)} |`,
    gate('first page, one active status (a common one and a rare one)', ['first_one', 'first_rare']),
    gate('first page, all active orders (the default list)', ['first_all']),
    gate('deep page by cursor over all orders (1/2 and 9/10 deep)', ['deep_half', 'deep_90']),
    gate('filtered page (one status, one operator)', ['filtered']),
    gate('counts (rolled up, and with pending deltas)', ['counts', 'counts_pending']),
    `| deep page: cursor vs single table by OFFSET, same depth (p50, worse depth) | ≥ ${REQUIRED.cursorVsOffset}× | ${int(offsetRatio('archive'))}× | ${verdict(offsetRatio('archive') >= REQUIRED.cursorVsOffset)} |`,
    `| status changes/s vs the single table | ≥ ${REQUIRED.changesVsSingle * 100}% | ${(vsSingle('archive') * 100).toFixed(0)}% (${int(writes.archive.perSecond)} vs ${int(writes.single.perSecond)}) | ${verdict(vsSingle('archive') >= REQUIRED.changesVsSingle)} |`,
    `| status change commit → event in the browser, p95 (${r.live.rate} changes/s) | < ${REQUIRED.liveP95Ms} ms | ${fmt(r.live.p95)} ms | ${verdict(r.live.p95 < REQUIRED.liveP95Ms && r.live.received === r.live.changes)} |`,
    `| workspace plans without a Sort node | none | ${sorts('archive').join(', ') || 'none'} | ${verdict(sorts('archive').length === 0)} |`,
    '',
    '### Commit to browser',
    '',
    `\`atelier serve mes\` on the archive layout (10M orders, its roll-up and assigner running, RabbitMQ), headless Chromium with an EventSource on /api/mes/workspace/stream as the workspace opens it; this process commits ${r.live.rate} status changes a second for ${LIVE.seconds} s (one UPDATE per transaction) and notes when each COMMIT returned, the page notes when its event arrived (same clock). WORKSPACE_POLL_MS as configured (default).`,
    '',
    '| changes committed | events received | p50 ms | p95 ms | p99 ms | max ms |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${int(r.live.changes)} | ${int(r.live.received)} | ${fmt(r.live.p50)} | ${fmt(r.live.p95)} | ${fmt(r.live.p99)} | ${fmt(r.live.max)} |`,
    '',
    '### Checks',
    '',
    ...r.checks.map((c) => `- ${c.ok ? 'ok' : 'FAILED'}: ${c.what}`),
    '',
    `Whole run: ${((performance.now() - r.t0) / 60_000).toFixed(1)} min${r.reused ? ' (load reused)' : ''}.`,
  ];
  return lines.join('\n');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
