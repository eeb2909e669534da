/**
 * Linger benchmark: what the relay's and the consumers' linger (RELAY_LINGER_MS,
 * MESSAGING_LINGER_MS) buy below saturation, where batches would otherwise hold one message.
 * The pipeline benchmark's mix at a few rates, with both lingers at 0 (every message at once)
 * and at their defaults, each on a fresh cluster, in interleaved rounds (the VM's speed drifts
 * over minutes). Writes bench/results/linger.md.
 *
 *   npm run bench:linger                                   (25, 50, 75 orders/s, 2 rounds, 8 s)
 *   BENCH_RATES=50 BENCH_ROUNDS=3 BENCH_SECONDS=10 npm run bench:linger
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { VARIABLES } from '../src/platform/config.js';
import { openCluster } from './bench-cluster.js';
import { measureRate, type Row } from './measure-rate.js';
import { startSpanSink } from './span-sink.js';

const RATES = (process.env.BENCH_RATES ?? '25,50,75').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** The latency bound for SUBMITTED→MANUFACTURING_APPROVED. */
const APPROVAL_P95_MS = 1000;

const defaults = `${VARIABLES.RELAY_LINGER_MS.default} / ${VARIABLES.MESSAGING_LINGER_MS.default} ms`;
const SETTINGS: [string, Record<string, string>][] = [
  ['0 / 0 ms (baseline)', { RELAY_LINGER_MS: '0', MESSAGING_LINGER_MS: '0' }],
  [`${defaults} (default)`, {}],
];

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(xs.length, 1);
const round1 = (x: number) => Math.round(x * 10) / 10;

async function main(): Promise<void> {
  const sink = await startSpanSink();
  // rows[setting][rate] = one Row per round
  const rows = SETTINGS.map(() => RATES.map((): Row[] => []));
  try {
    for (let round = 0; round < ROUNDS; round++)
      for (const [i, [name, env]] of SETTINGS.entries()) {
        console.error(`linger ${name}, round ${round + 1} of ${ROUNDS}`);
        // Telemetry as in the pipeline benchmark: every order traced and exported.
        const c = await openCluster({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint, ...env });
        try {
          await measureRate(c, 25, 2); // warm-up: connections, plans, JIT
          for (const [k, rate] of RATES.entries()) rows[i]?.[k]?.push(await measureRate(c, rate, SECONDS));
        } finally {
          await c.close();
        }
      }
  } finally {
    await sink.close();
  }

  const lines = [
    `Linger benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), distributed mode as in the pipeline benchmark (every order traced and exported); relay linger / consumer linger; ${SECONDS} s per rate, a fresh cluster per setting and round, ${ROUNDS} interleaved rounds.`,
    '',
    '| offered orders/s | relay / consumer linger | accepted orders/s per round | CPU ms per order per round (all processes) | mean CPU ms per order | SUBMITTED→APPROVED p50 per round ms | p95 per round ms | lost | duplicates |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const verdicts: string[] = [];
  for (const [k, rate] of RATES.entries()) {
    const cpu = SETTINGS.map((_, i) => mean((rows[i]?.[k] ?? []).map((r) => r.cpuMsPerOrder)));
    for (const [i, [name]] of SETTINGS.entries()) {
      const list = rows[i]?.[k] ?? [];
      const per = (f: (r: Row) => number) => list.map(f).join(' / ');
      lines.push(
        `| ${rate} | ${name} | ${per((r) => r.accepted)} | ${per((r) => r.cpuMsPerOrder)} | ${round1(cpu[i] ?? 0)} | ${per((r) => r.approval.p50)} | ${per((r) => r.approval.p95)} | ${list.reduce((n, r) => n + r.lost, 0)} | ${list.reduce((n, r) => n + r.duplicates, 0)} |`,
      );
    }
    const [base, lingered] = [cpu[0] ?? 0, cpu[1] ?? 0];
    verdicts.push(
      `| CPU ms per order at ${rate}/s, default linger | ${round1(base)} (no linger) | ${round1(lingered)} (${Math.round((1 - lingered / Math.max(base, 0.001)) * 100)}% less) | ${lingered < base ? 'PASS' : 'FAIL'} |`,
    );
    const worstP95 = Math.max(...(rows[1]?.[k] ?? []).map((r) => r.approval.p95));
    verdicts.push(
      `| SUBMITTED→APPROVED p95 at ${rate}/s, default linger, worst round | ${APPROVAL_P95_MS} ms | ${worstP95} ms | ${worstP95 < APPROVAL_P95_MS ? 'PASS' : 'FAIL'} |`,
    );
  }
  lines.push(
    '',
    '| requirement | baseline to beat | measured | verdict |',
    '|---|---:|---:|---|',
    ...verdicts,
  );
  const table = lines.join('\n');
  console.log(table);
  writeFileSync(
    new URL('./results/linger.md', import.meta.url).pathname.replace('/dist/bench/', '/bench/'),
    `${table}\n`,
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
