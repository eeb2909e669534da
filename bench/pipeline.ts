/**
 * Pipeline benchmark: `atelier simulate` at rising rates against the distributed mode (every
 * service its own process, PostgreSQL per service, RabbitMQ). Reports accepted orders/s, relay
 * messages/s, and SUBMITTED→MANUFACTURING_APPROVED latency for auto-approved orders, against
 * the figures the platform must beat. Writes the table to bench/results/pipeline.md.
 *
 *   npm run bench:pipeline                     (rates 25,50,75,100,150,200,500 orders/s, 8 s each)
 *   BENCH_RATES=200,600 BENCH_SECONDS=5 npm run bench:pipeline
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { openCluster } from './bench-cluster.js';
import { machineLine, measureMachine } from './machine-speed.js';
import { measureRate, type Row } from './measure-rate.js';
import { startSpanSink } from './span-sink.js';

const RATES = (process.env.BENCH_RATES ?? '25,50,75,100,150,200,500').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/**
 * The telemetry on/off comparison: an offered rate below saturation (so every setting carries
 * the same work and CPU per order is comparable), for longer, in interleaved rounds (the VM's
 * speed drifts over minutes). 0 skips it.
 */
const TELEMETRY_RATE = Number(process.env.BENCH_TELEMETRY_RATE ?? 40);
const TELEMETRY_SECONDS = Number(process.env.BENCH_TELEMETRY_SECONDS ?? 20);
const TELEMETRY_ROUNDS = Number(process.env.BENCH_TELEMETRY_ROUNDS ?? 3);
/** Largest share of throughput tracing and metrics may cost. */
const TELEMETRY_BUDGET = 0.1;

/** What the issue asks of the pipeline on a 2-core machine. */
const REQUIRED = { acceptedPerSecond: 500, approvalP95Ms: 1000 };

/**
 * Telemetry settings compared at the same saturating load, each on a fresh cluster. "off" and
 * "on" always run (the requirement compares them); BENCH_TELEMETRY_VARIANTS adds the others to
 * show where the cost is.
 */
const VARIANTS: Record<string, (sink: string) => Record<string, string>> = {
  off: () => ({ OTEL_SDK_DISABLED: 'true', METRICS: 'false' }),
  'metrics only': () => ({ OTEL_SDK_DISABLED: 'true' }),
  // The SDK, its context manager and instrumentations in place, but no span recorded: what
  // carrying the context costs on its own.
  'not sampled': () => ({ OTEL_TRACES_SAMPLER: 'always_off' }),
  'traces not exported': () => ({}),
  'on (exported)': (sink) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink }),
  'sampled 1 in 10': (sink) => ({
    OTEL_EXPORTER_OTLP_ENDPOINT: sink,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: '0.1',
  }),
};
const EXTRA_VARIANTS = (process.env.BENCH_TELEMETRY_VARIANTS ?? '')
  .split(',')
  .map((v) => v.trim())
  .filter((v) => v !== '');

interface VariantResult {
  name: string;
  rows: Row[];
  /** Mean CPU ms per order over the rounds, summed over every process. */
  cpuMsPerOrder: number;
  /** What two cores sustain at that cost: 2 × 1000 ms of CPU per second ÷ CPU ms per order. */
  capacity: number;
}

async function telemetryCost(sink: string): Promise<VariantResult[]> {
  const run = async (env: Record<string, string>) => {
    const c = await openCluster(env);
    try {
      await measureRate(c, 25, 2); // warm-up: connections, plans, JIT
      return await measureRate(c, TELEMETRY_RATE, TELEMETRY_SECONDS);
    } finally {
      await c.close();
    }
  };
  const names = ['off', 'on (exported)', ...EXTRA_VARIANTS];
  for (const name of names)
    if (!VARIANTS[name])
      throw new Error(`unknown telemetry variant "${name}": ${Object.keys(VARIANTS).join(', ')}`);
  const rows = new Map<string, Row[]>(names.map((n) => [n, []]));
  for (let round = 0; round < TELEMETRY_ROUNDS; round++)
    for (const name of names) {
      console.error(`telemetry ${name}, round ${round + 1} of ${TELEMETRY_ROUNDS}`);
      rows.get(name)?.push(await run((VARIANTS[name] as (sink: string) => Record<string, string>)(sink)));
    }
  const cores = cpus().length;
  return names.map((name) => {
    const list = rows.get(name) ?? [];
    const cpu = list.reduce((n, r) => n + r.cpuMsPerOrder, 0) / Math.max(list.length, 1);
    return {
      name,
      rows: list,
      cpuMsPerOrder: Math.round(cpu * 10) / 10,
      capacity: Math.round((cores * 1000) / Math.max(cpu, 0.001)),
    };
  });
}

async function main(): Promise<void> {
  const machine = await measureMachine();
  const sink = await startSpanSink();
  const rows: Row[] = [];
  try {
    const c = await openCluster({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint });
    try {
      // Not measured: fresh processes first compile their code and open their connections, which
      // would count against whichever rate came first.
      await measureRate(c, 25, 2);
      for (const rate of RATES) rows.push(await measureRate(c, rate, SECONDS));
    } finally {
      await c.close();
    }
  } catch (err) {
    await sink.close();
    throw err;
  }
  const telemetry = TELEMETRY_RATE > 0 ? await telemetryCost(sink.endpoint) : undefined;
  const exported = { exports: sink.exports, megabytes: Math.round(sink.bytes / 1e5) / 10 };
  await sink.close();

  const best = rows.reduce((a, b) => (b.accepted > a.accepted ? b : a));
  const atTarget = rows.filter((r) => r.accepted >= REQUIRED.acceptedPerSecond);
  const lines = [
    `Pipeline benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), distributed mode: one process per service, PostgreSQL, RabbitMQ; ${SECONDS} s per rate; mix 60% catalog, 20% custom STL, 20% partner STL.`,
    '',
    machineLine(machine),
    '',
    '| offered orders/s | orders | accepted orders/s | intake p95 ms | relay msgs/s | outbox→broker p95 ms | SUBMITTED→APPROVED p50 / p95 / p99 ms | CPU ms per order (all processes) | PostgreSQL commits / WAL records / WAL kB per order | lost | duplicates |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.rate} | ${r.orders} | ${r.accepted} | ${r.intakeP95} | ${r.relayPerSecond} | ${r.publishLagP95} | ${r.approval.p50} / ${r.approval.p95} / ${r.approval.p99} | ${r.cpuMsPerOrder} | ${r.commitsPerOrder} / ${r.walRecordsPerOrder} / ${r.walKbPerOrder} | ${r.lost} | ${r.duplicates} |`,
    ),
    '',
    `Where the CPU went at ${best.rate} orders/s, ms per order: ${best.cpuByProcess.map(([l, ms]) => `${l} ${ms}`).join(', ')}.`,
    '',
    '| requirement | baseline to beat | measured | verdict |',
    '|---|---:|---:|---|',
    `| accepted orders/s | ${REQUIRED.acceptedPerSecond} | ${best.accepted} | ${best.accepted >= REQUIRED.acceptedPerSecond ? 'PASS' : 'FAIL'} |`,
    `| SUBMITTED→APPROVED p95 at ≥${REQUIRED.acceptedPerSecond}/s | ${REQUIRED.approvalP95Ms} ms | ${atTarget.length ? Math.max(...atTarget.map((r) => r.approval.p95)) : 'n/a'} ms | ${atTarget.length && atTarget.every((r) => r.approval.p95 < REQUIRED.approvalP95Ms) ? 'PASS' : 'FAIL'} |`,
    `| highest offered rate with SUBMITTED→APPROVED p95 < ${REQUIRED.approvalP95Ms} ms | ${REQUIRED.acceptedPerSecond}/s | ${Math.max(0, ...rows.filter((r) => r.approval.p95 < REQUIRED.approvalP95Ms && r.accepted >= r.rate * 0.95).map((r) => r.rate))}/s | ${rows.some((r) => r.rate >= REQUIRED.acceptedPerSecond && r.approval.p95 < REQUIRED.approvalP95Ms && r.accepted >= r.rate * 0.95) ? 'PASS' : 'FAIL'} |`,
    `| lost / duplicates, all rates | 0 / 0 | ${rows.reduce((n, r) => n + r.lost, 0)} / ${rows.reduce((n, r) => n + r.duplicates, 0)} | ${rows.every((r) => r.lost === 0 && r.duplicates === 0) ? 'PASS' : 'FAIL'} |`,
    ...(telemetry ? telemetryLines(telemetry, exported) : []),
  ];
  const table = lines.join('\n');
  console.log(table);
  writeFileSync(
    new URL('./results/pipeline.md', import.meta.url).pathname.replace('/dist/bench/', '/bench/'),
    `${table}\n`,
  );
}

function telemetryLines(
  variants: VariantResult[],
  exported: { exports: number; megabytes: number },
): string[] {
  const off = variants.find((v) => v.name === 'off');
  const on = variants.find((v) => v.name === 'on (exported)');
  if (!off || !on) return [];
  const cost = 1 - off.cpuMsPerOrder / Math.max(on.cpuMsPerOrder, 0.001);
  const pct = (x: number) => `${Math.round(x * 1000) / 10}%`;
  return [
    '',
    `Telemetry cost: ${TELEMETRY_RATE} orders/s offered for ${TELEMETRY_SECONDS} s (below saturation, so every setting does the same work) on a fresh cluster per setting and round, ${TELEMETRY_ROUNDS} interleaved rounds. "off" is \`OTEL_SDK_DISABLED=true METRICS=false\`; "on (exported)" traces every order, serves metrics, and exports every span over OTLP/protobuf to a sink in the bench process (${exported.exports} exports, ${exported.megabytes} MB in the whole run). Throughput at saturation follows CPU per order: two cores sustain 2,000 ms of CPU per second, so the cost in throughput is 1 − CPU(off) / CPU(on).`,
    '',
    '| telemetry | accepted orders/s per round | CPU ms per order per round (all processes) | mean CPU ms per order | orders/s two cores sustain | vs off | SUBMITTED→APPROVED p95 ms per round |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...variants.map(
      (v) =>
        `| ${v.name} | ${v.rows.map((r) => r.accepted).join(' / ')} | ${v.rows.map((r) => r.cpuMsPerOrder).join(' / ')} | ${v.cpuMsPerOrder} | ${v.capacity} | ${pct(v.capacity / Math.max(off.capacity, 1) - 1)} | ${v.rows.map((r) => r.approval.p95).join(' / ')} |`,
    ),
    '',
    '| requirement | baseline to beat | measured | verdict |',
    '|---|---:|---:|---|',
    `| throughput lost to tracing and metrics (every order traced and exported) | < ${pct(TELEMETRY_BUDGET)} | ${pct(cost)} | ${cost < TELEMETRY_BUDGET ? 'PASS' : 'FAIL'} |`,
  ];
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
