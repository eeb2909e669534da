/** The pricing service's own tables: price-list versions, measured models, quotes, price jobs. */
import type { Db, Queryable } from '../platform/db/types.js';
import type { ModelFigures, PriceBreakdown } from '../contracts/events.js';
import {
  checkPriceList,
  DEFAULT_PRICE_LIST,
  type PriceList,
  type PriceListBody,
} from './domain/price-list.js';
import type { StoneRequest } from './domain/price.js';
import type { Measured } from './engine/engine.js';

interface PriceListRow {
  version: number;
  body: PriceListBody;
  created_by: string;
  note: string | null;
  created_at: string;
}

const toPriceList = (r: PriceListRow): PriceList => ({
  ...r.body,
  version: r.version,
  createdBy: r.created_by,
  note: r.note,
  createdAt: r.created_at,
});

/** The version in force; the first start seeds version 1 so pricing works out of the box. */
export async function currentPriceList(q: Queryable): Promise<PriceList> {
  const r = await q.query<PriceListRow>('SELECT * FROM price_lists ORDER BY version DESC LIMIT 1');
  if (r.rows[0]) return toPriceList(r.rows[0]);
  await q.query(
    `INSERT INTO price_lists (version, body, created_by, note) VALUES (1, $1, 'atelier', 'default price list')
     ON CONFLICT (version) DO NOTHING`,
    [JSON.stringify(DEFAULT_PRICE_LIST)],
  );
  return currentPriceList(q);
}

export async function priceListVersion(q: Queryable, version: number): Promise<PriceList | undefined> {
  const r = await q.query<PriceListRow>('SELECT * FROM price_lists WHERE version = $1', [version]);
  return r.rows[0] ? toPriceList(r.rows[0]) : undefined;
}

export async function listPriceLists(q: Queryable) {
  const r = await q.query<{ version: number; created_by: string; note: string | null; created_at: string }>(
    'SELECT version, created_by, note, created_at FROM price_lists ORDER BY version DESC LIMIT 200',
  );
  return r.rows.map((x) => ({
    version: x.version,
    createdBy: x.created_by,
    note: x.note,
    createdAt: x.created_at,
  }));
}

/** Publishes the next version; the advisory lock keeps two administrators from taking one number. */
export async function publishPriceList(db: Db, body: PriceListBody, by: string, note: string | null) {
  checkPriceList(body);
  return db.tx(async (q) => {
    await q.query(`SELECT pg_advisory_xact_lock(hashtext('atelier.price_lists'))`);
    await currentPriceList(q);
    const r = await q.query<PriceListRow>(
      `INSERT INTO price_lists (version, body, created_by, note)
       SELECT coalesce(max(version), 0) + 1, $1, $2, $3 FROM price_lists RETURNING *`,
      [JSON.stringify(body), by, note],
    );
    return toPriceList(r.rows[0] as PriceListRow);
  });
}

export interface ModelRow {
  id: string;
  storage_key: string;
  filename: string;
  units: string;
  format: string;
  bytes: number;
  figures: ModelFigures & { bbox?: Measured['bbox'] };
  validation: Measured['validation'];
  created_at: string;
}

export async function insertModel(q: Queryable, m: Omit<ModelRow, 'created_at'>): Promise<ModelRow> {
  const r = await q.query<ModelRow>(
    `INSERT INTO models (id, storage_key, filename, units, format, bytes, figures, validation)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
    [
      m.id,
      m.storage_key,
      m.filename,
      m.units,
      m.format,
      m.bytes,
      JSON.stringify(m.figures),
      JSON.stringify(m.validation),
    ],
  );
  return r.rows[0] as ModelRow;
}

export async function getModel(q: Queryable, id: string): Promise<ModelRow | undefined> {
  return (await q.query<ModelRow>('SELECT * FROM models WHERE id = $1', [id])).rows[0];
}

export interface QuoteRow {
  id: string;
  model_id: string;
  alloy: string;
  quantity: number;
  stones: StoneRequest[];
  price_list_version: number;
  breakdown: PriceBreakdown;
  total_minor: number;
  currency: string;
  requested_by: string;
  expires_at: string;
  order_id: string | null;
  created_at: string;
}

export async function insertQuote(
  q: Queryable,
  x: Omit<QuoteRow, 'created_at' | 'order_id' | 'expires_at'> & { validityHours: number },
) {
  const r = await q.query<QuoteRow>(
    `INSERT INTO quotes (id, model_id, alloy, quantity, stones, price_list_version, breakdown, total_minor, currency,
                         requested_by, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now() + $11 * interval '1 hour') RETURNING *`,
    [
      x.id,
      x.model_id,
      x.alloy,
      x.quantity,
      JSON.stringify(x.stones),
      x.price_list_version,
      JSON.stringify(x.breakdown),
      x.total_minor,
      x.currency,
      x.requested_by,
      x.validityHours,
    ],
  );
  return r.rows[0] as QuoteRow;
}

export async function getQuote(q: Queryable, id: string): Promise<QuoteRow | undefined> {
  return (await q.query<QuoteRow>('SELECT * FROM quotes WHERE id = $1', [id])).rows[0];
}

/** A quote with the units its model was measured in: what pricing an order from it again needs. */
export async function getQuoteWithUnits(
  q: Queryable,
  id: string,
): Promise<(QuoteRow & { model_units: string }) | undefined> {
  return (
    await q.query<QuoteRow & { model_units: string }>(
      'SELECT q.*, m.units AS model_units FROM quotes q JOIN models m ON m.id = q.model_id WHERE q.id = $1',
      [id],
    )
  ).rows[0];
}

/** Binds a quote to the order placed from it; false when another order already has it. */
export async function useQuote(q: Queryable, id: string, orderId: string): Promise<boolean> {
  const r = await q.query(
    'UPDATE quotes SET order_id = $2 WHERE id = $1 AND (order_id IS NULL OR order_id = $2)',
    [id, orderId],
  );
  return (r.rowCount ?? 0) > 0;
}

export type JobStatus = 'priced' | 'rejected' | 'failed' | 'closed';

export interface JobRow {
  order_id: string;
  order_number: string;
  channel: string;
  status: JobStatus;
  attempts: number;
  payload: unknown;
  breakdown: PriceBreakdown | null;
  reason: string | null;
  stage_ms: Record<string, number> | null;
  updated_at: string;
}

export async function saveJob(q: Queryable, j: Omit<JobRow, 'updated_at'>): Promise<void> {
  await q.query(
    `INSERT INTO price_jobs (order_id, order_number, channel, status, attempts, payload, breakdown, reason, stage_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (order_id) DO UPDATE SET status = EXCLUDED.status, attempts = price_jobs.attempts + EXCLUDED.attempts,
       breakdown = EXCLUDED.breakdown, reason = EXCLUDED.reason, stage_ms = EXCLUDED.stage_ms, updated_at = now()`,
    [
      j.order_id,
      j.order_number,
      j.channel,
      j.status,
      j.attempts,
      JSON.stringify(j.payload),
      j.breakdown === null ? null : JSON.stringify(j.breakdown),
      j.reason,
      j.stage_ms === null ? null : JSON.stringify(j.stage_ms),
    ],
  );
}

export async function getJob(q: Queryable, orderId: string): Promise<JobRow | undefined> {
  return (await q.query<JobRow>('SELECT * FROM price_jobs WHERE order_id = $1', [orderId])).rows[0];
}

export async function failedJobs(q: Queryable, limit: number): Promise<JobRow[]> {
  return (
    await q.query<JobRow>(`SELECT * FROM price_jobs WHERE status = 'failed' ORDER BY updated_at LIMIT $1`, [
      limit,
    ])
  ).rows;
}

/** The order was ended elsewhere (a seller cancelled or rejected it): its failed job is closed. */
export async function closeFailedJob(q: Queryable, orderId: string, why: string): Promise<void> {
  await q.query(
    `UPDATE price_jobs SET status = 'closed', reason = reason || ' — then ' || $2, updated_at = now()
     WHERE order_id = $1 AND status = 'failed'`,
    [orderId, why],
  );
}
