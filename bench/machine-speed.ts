/**
 * How fast this machine is at the two kinds of work the benchmarks do, measured just before
 * them, so results from different machines can be told apart.
 *
 * Two VMs of the same kind (2 cores, AMD EPYC) ran the pipeline benchmark on the same code at
 * 275 and at 80 orders/s (7.6 and 26.5 ms of CPU per order), while the geometry benchmark, pure
 * computation, was only 20% slower on the second. The pipeline's work is mostly small requests
 * and messages between processes, so it follows what such a request costs, which the first VM's
 * run did not record; this measures it, so the next comparison can tell.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';

export interface MachineSpeed {
  /** CPU µs (user + system) per loopback HTTP request, server and client in this process. */
  httpCpuUs: number;
  /** Wall ms of a fixed integer loop on one core. */
  computeMs: number;
}

const REQUESTS = 20_000;
const CONCURRENCY = 16;

async function httpCpuUs(): Promise<number> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const agent = new Agent({ connections: CONCURRENCY });
  const run = async (n: number) => {
    let left = n;
    const worker = async () => {
      while (left-- > 0) {
        const r = await request(url, {
          method: 'POST',
          body: '{"sku":"RING-001","quantity":1}',
          headers: { 'content-type': 'application/json' },
          dispatcher: agent,
        });
        await r.body.text();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  };
  try {
    await run(2_000); // warm-up: connections, JIT
    const before = process.cpuUsage();
    await run(REQUESTS);
    const used = process.cpuUsage(before);
    return Math.round((used.user + used.system) / REQUESTS);
  } finally {
    await agent.close();
    await new Promise((resolve) => server.close(resolve));
  }
}

function computeMs(): number {
  const start = performance.now();
  let x = 0;
  for (let i = 0; i < 3e8; i++) x += i % 7;
  // Used, so the loop cannot be optimised away.
  if (x < 0) throw new Error('unreachable');
  return Math.round(performance.now() - start);
}

export async function measureMachine(): Promise<MachineSpeed> {
  return { httpCpuUs: await httpCpuUs(), computeMs: computeMs() };
}

/** One line for a results file. */
export function machineLine(m: MachineSpeed): string {
  return `Machine, measured just before: a loopback HTTP request (Node server and undici client in one process, ${CONCURRENCY} at a time) costs ${m.httpCpuUs} µs of CPU; a fixed integer loop takes ${m.computeMs} ms. The services' work is mostly of the first kind, and VMs of one kind differ in it several times over: compare runs from different machines only when these agree.`;
}
