/**
 * Filling a layout: binary COPY FROM STDIN of the generated orders with a progress bar, or
 * INSERT ... SELECT from the archive layout already loaded (the same rows; one process on the
 * server instead of a generator and a parser sharing two cores).
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COPY_COLUMNS, orderChunks, type DataSpec } from './dashboard-data.js';
import type { Layout } from './dashboard-layouts.js';

function bar(label: string, total: number): cliProgress.SingleBar {
  const b = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(22)} {bar} {percentage}% | {value}/{total} orders | {rate} orders/s | ETA {eta_formatted}`,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0, { rate: 0 });
  return b;
}

/** COPYs the orders into `production_orders` of the client's schema; returns the ms taken. */
export async function copyOrders(c: pg.Client, spec: DataSpec, label: string): Promise<number> {
  const t0 = performance.now();
  const progress = bar(label, spec.orders);
  let rows = 0;
  async function* source(): AsyncGenerator<Buffer> {
    for (const batch of orderChunks(spec)) {
      yield* batch.chunks;
      rows += batch.rows;
      progress.update(rows, { rate: Math.round(rows / ((performance.now() - t0) / 1000)) });
    }
  }
  const copy = c.query(
    copyFrom(
      `COPY production_orders (${COPY_COLUMNS.map(([n]) => n).join(', ')}) FROM STDIN WITH (FORMAT binary)`,
    ),
  );
  try {
    await pipeline(Readable.from(source()), copy);
  } finally {
    progress.stop();
  }
  if (copy.rowCount !== spec.orders)
    throw new Error(`${label}: COPY wrote ${copy.rowCount} rows, not ${spec.orders}`);
  return performance.now() - t0;
}

/** Copies the archive layout's rows into another layout, a slice of created_at at a time. */
export async function insertFromArchive(
  c: pg.Client,
  layout: Layout,
  orders: number,
  label: string,
): Promise<number> {
  const t0 = performance.now();
  const progress = bar(label, orders);
  const cols = COPY_COLUMNS.map(([n]) => n).join(', ');
  try {
    const range = await c.query<{ lo: string; hi: string }>(
      'SELECT min(created_at) AS lo, max(created_at) AS hi FROM archive.production_orders',
    );
    const lo = Date.parse(range.rows[0]!.lo);
    const hi = Date.parse(range.rows[0]!.hi) + 1;
    const slices = 20;
    let rows = 0;
    for (let i = 0; i < slices; i++) {
      const r = await c.query(
        `INSERT INTO ${layout}.production_orders (${cols}) SELECT ${cols} FROM archive.production_orders
         WHERE created_at >= $1 AND created_at < $2`,
        [
          new Date(lo + ((hi - lo) * i) / slices).toISOString(),
          new Date(lo + ((hi - lo) * (i + 1)) / slices).toISOString(),
        ],
      );
      rows += r.rowCount ?? 0;
      progress.update(rows, { rate: Math.round(rows / ((performance.now() - t0) / 1000)) });
    }
    if (rows !== orders) throw new Error(`${label}: INSERT ... SELECT wrote ${rows} rows, not ${orders}`);
  } finally {
    progress.stop();
  }
  return performance.now() - t0;
}
