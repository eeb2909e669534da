/** One offered rate of the pipeline benchmarks, with the CPU, commits and relay figures around it. */
import pg from 'pg';
import { SERVICE_NAMES } from '../src/cli/services.js';
import { benchDatabaseUrl, PG, type openCluster, simulateMix } from './bench-cluster.js';
import { cpuPerOrder, cpuSeconds } from './cpu.js';

export interface Row {
  rate: number;
  orders: number;
  accepted: number;
  intakeP95: number;
  relayPerSecond: number;
  publishLagP95: number;
  approval: { p50: number; p95: number; p99: number; count: number };
  lost: number;
  duplicates: number;
  cpuMsPerOrder: number;
  cpuByProcess: [string, number][];
  commitsPerOrder: number;
  /** WAL records and kB the PostgreSQL server wrote per order: its write work, whatever the VM's speed. */
  walRecordsPerOrder: number;
  walKbPerOrder: number;
}

/** Transactions committed so far across every service's database. */
async function commits(prefix: string): Promise<number> {
  let total = 0;
  for (const svc of SERVICE_NAMES) {
    const c = new pg.Client({ connectionString: benchDatabaseUrl(prefix, svc) });
    await c.connect();
    const r = await c.query<{ n: string }>(
      'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    total += Number(r.rows[0]?.n ?? 0);
    await c.end();
  }
  return total;
}

/** WAL the whole server has written so far (pg_stat_wal: the benchmarks run alone on it). */
async function wal(): Promise<{ records: number; bytes: number }> {
  const c = new pg.Client({ connectionString: PG });
  await c.connect();
  try {
    const r = await c.query<{ records: string; bytes: string }>(
      'SELECT wal_records AS records, wal_bytes AS bytes FROM pg_stat_wal',
    );
    return { records: Number(r.rows[0]?.records ?? 0), bytes: Number(r.rows[0]?.bytes ?? 0) };
  } finally {
    await c.end();
  }
}

async function relayFigures(prefix: string, since: Date): Promise<{ perSecond: number; lagP95: number }> {
  let count = 0;
  let first = Infinity;
  let last = 0;
  const lags: number[] = [];
  for (const s of SERVICE_NAMES) {
    const c = new pg.Client({ connectionString: benchDatabaseUrl(prefix, s) });
    await c.connect();
    const r = await c.query<{ created: string; sent: string }>(
      'SELECT created_at AS created, sent_at AS sent FROM outbox WHERE created_at >= $1 AND sent_at IS NOT NULL',
      [since],
    );
    await c.end();
    for (const row of r.rows) {
      count++;
      const created = Date.parse(row.created);
      const sent = Date.parse(row.sent);
      first = Math.min(first, created);
      last = Math.max(last, sent);
      lags.push(sent - created);
    }
  }
  lags.sort((a, b) => a - b);
  return {
    perSecond: count > 0 ? Math.round(count / Math.max((last - first) / 1000, 0.001)) : 0,
    lagP95: lags[Math.floor(lags.length * 0.95)] ?? 0,
  };
}

/** `simulate` at one offered rate, with the CPU, commits and relay figures around it. */
export async function measureRate(
  c: Awaited<ReturnType<typeof openCluster>>,
  rate: number,
  seconds: number,
): Promise<Row> {
  const orders = rate * seconds;
  console.error(`rate ${rate}/s: ${orders} orders …`);
  const since = new Date();
  const cpuBefore = cpuSeconds();
  const commitsBefore = await commits(c.prefix);
  const walBefore = await wal();
  const s = await simulateMix(c, rate, seconds, 'MANUFACTURING_APPROVED');
  const cpuAfter = cpuSeconds();
  const placed = Math.max(s.ordersPlaced, 1);
  const walAfter = await wal();
  const commitsPerOrder = ((await commits(c.prefix)) - commitsBefore) / placed;
  const cpuByProcess = cpuPerOrder(cpuBefore, cpuAfter, s.ordersPlaced);
  console.error(`  CPU ms per order: ${cpuByProcess.map(([l, ms]) => `${l} ${ms}`).join(', ')}`);
  const relay = await relayFigures(c.prefix, since);
  const approval = s.latencyMs['SUBMITTED->MANUFACTURING_APPROVED'] ?? { p50: 0, p95: 0, p99: 0, count: 0 };
  return {
    rate,
    orders: s.ordersPlaced,
    accepted: s.intake.ordersPerSecond,
    intakeP95: s.intake.latencyMs.p95,
    relayPerSecond: relay.perSecond,
    publishLagP95: relay.lagP95,
    approval,
    lost: s.lost,
    duplicates: s.duplicates,
    cpuMsPerOrder: Math.round(cpuByProcess.reduce((n, [, ms]) => n + ms, 0) * 10) / 10,
    cpuByProcess,
    commitsPerOrder: Math.round(commitsPerOrder * 10) / 10,
    walRecordsPerOrder: Math.round((walAfter.records - walBefore.records) / placed),
    walKbPerOrder: Math.round((walAfter.bytes - walBefore.bytes) / placed / 102.4) / 10,
  };
}
