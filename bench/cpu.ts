/** Where the CPU goes during a benchmark: every process the platform runs on, read from /proc. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * CPU seconds used so far by every process the pipeline runs on (services, PostgreSQL,
 * RabbitMQ, this load generator), from /proc, grouped by what the process is: the budget that
 * decides the sustainable rate, and where it goes.
 */
export function cpuSeconds(): Map<string, number> {
  const byProcess = new Map<string, number>();
  if (!existsSync('/proc/self/stat')) return byProcess;
  const tick = 100; // USER_HZ on Linux
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      const label =
        pid === String(process.pid)
          ? 'load generator'
          : (/atelier\.js serve (\S+)/.exec(cmd)?.[1] ??
            (/^postgres/.test(cmd) ? 'postgres' : /beam\.smp/.test(cmd) ? 'rabbitmq' : undefined));
      if (!label) continue;
      const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      const used = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / tick;
      byProcess.set(label, (byProcess.get(label) ?? 0) + used);
    } catch {
      // the process ended between listing and reading
    }
  }
  return byProcess;
}

/** CPU ms per order spent by each kind of process between two readings, most first. */
export function cpuPerOrder(
  before: Map<string, number>,
  after: Map<string, number>,
  orders: number,
): [string, number][] {
  return [...after]
    .map(([label, s]): [string, number] => [
      label,
      Math.round((((s - (before.get(label) ?? 0)) * 1000) / Math.max(orders, 1)) * 10) / 10,
    ])
    .sort((a, b) => b[1] - a[1]);
}
