/**
 * Intake benchmark: how many orders a second the public APIs accept when nothing runs behind
 * them. Only the shop and the partner API run (each its own process, PostgreSQL, RabbitMQ, the
 * relay publishing every event); `simulate` places the pipeline benchmark's mix and counts an
 * order once it is SUBMITTED. It bounds "orders/s accepted" from above: the whole pipeline
 * shares the same two cores with these processes, so it cannot accept more than this.
 *
 *   npm run bench:intake                          (500 orders/s offered for 8 s)
 *   BENCH_INTAKE_RATE=300 BENCH_SECONDS=5 npm run bench:intake
 */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { openCluster, simulateMix } from './bench-cluster.js';
import { cpuPerOrder, cpuSeconds } from './cpu.js';
import { machineLine, measureMachine } from './machine-speed.js';
import { startSpanSink } from './span-sink.js';

const RATE = Number(process.env.BENCH_INTAKE_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
/** What the issue asks of the pipeline on a 2-core machine. */
const REQUIRED_ACCEPTED = 500;

async function main(): Promise<void> {
  const machine = await measureMachine();
  const sink = await startSpanSink();
  try {
    // Telemetry as in the pipeline benchmark: every order traced and exported.
    const c = await openCluster({ OTEL_EXPORTER_OTLP_ENDPOINT: sink.endpoint }, ['shop', 'partner-api']);
    try {
      const simulate = (rate: number, seconds: number) => simulateMix(c, rate, seconds, 'SUBMITTED');
      await simulate(25, 2); // warm-up: connections, plans, JIT
      console.error(`intake at ${RATE}/s for ${SECONDS} s …`);
      const before = cpuSeconds();
      const s = await simulate(RATE, SECONDS);
      const cpu = cpuPerOrder(before, cpuSeconds(), s.ordersPlaced);
      const total = Math.round(cpu.reduce((n, [, ms]) => n + ms, 0) * 10) / 10;
      const lat = s.intake.latencyMs;
      const lines = [
        `Intake benchmark, ${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores (${cpus()[0]?.model.trim()}): the shop and the partner API alone (distributed mode, each its own process, PostgreSQL, RabbitMQ; the relay publishes every event; nothing consumes them), every order traced and exported; ${SECONDS} s; mix 60% catalog, 20% custom STL, 20% partner STL; an order counts once SUBMITTED.`,
        '',
        machineLine(machine),
        '',
        '| offered orders/s | orders | accepted orders/s | intake p50 / p95 / p99 ms | CPU ms per order (all processes) | lost | duplicates |',
        '|---:|---:|---:|---:|---:|---:|---:|',
        `| ${RATE} | ${s.ordersPlaced} | ${s.intake.ordersPerSecond} | ${lat.p50} / ${lat.p95} / ${lat.p99} | ${total} | ${s.lost} | ${s.duplicates} |`,
        '',
        `Where the CPU went, ms per order: ${cpu.map(([l, ms]) => `${l} ${ms}`).join(', ')}.`,
        '',
        '| requirement | baseline to beat | measured | verdict |',
        '|---|---:|---:|---|',
        `| orders/s the APIs accept with nothing behind them | ${REQUIRED_ACCEPTED} | ${s.intake.ordersPerSecond} | ${s.intake.ordersPerSecond >= REQUIRED_ACCEPTED ? 'PASS' : 'FAIL'} |`,
      ];
      const table = lines.join('\n');
      console.log(table);
      writeFileSync(
        new URL('./results/intake.md', import.meta.url).pathname.replace('/dist/bench/', '/bench/'),
        `${table}\n`,
      );
    } finally {
      await c.close();
    }
  } finally {
    await sink.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
