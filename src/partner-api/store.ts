import { v7 as uuidv7 } from 'uuid';
import type { Queryable } from '../platform/db/types.js';
import { decodeCursor, page } from '../platform/http/cursor.js';
import type { OrderRow } from '../platform/orders/view.js';
import { hashKey, newApiKey } from './keys.js';

export interface Partner {
  id: string;
  name: string;
}

export async function createPartner(
  q: Queryable,
  name: string,
  key = newApiKey(),
): Promise<Partner & { apiKey: string }> {
  const id = uuidv7();
  await q.query('INSERT INTO partners (id, name, key_hash, key_prefix) VALUES ($1, $2, $3, $4)', [
    id,
    name,
    hashKey(key),
    key.slice(0, 8),
  ]);
  return { id, name, apiKey: key };
}

export async function partnerByKey(q: Queryable, key: string): Promise<Partner | undefined> {
  return (
    await q.query<Partner>('SELECT id, name FROM partners WHERE key_hash = $1 AND disabled_at IS NULL', [
      hashKey(key),
    ])
  ).rows[0];
}

export async function partnerByName(q: Queryable, name: string): Promise<Partner | undefined> {
  return (await q.query<Partner>('SELECT id, name FROM partners WHERE name = $1', [name])).rows[0];
}

export async function findIdempotent(q: Queryable, partnerId: string, key: string) {
  return (
    await q.query<{ request_hash: string; order_id: string }>(
      'SELECT request_hash, order_id FROM idempotency_keys WHERE partner_id = $1 AND key = $2',
      [partnerId, key],
    )
  ).rows[0];
}

/** Claims the key; false when it already exists (the caller then reads the earlier order). */
export async function claimIdempotencyKey(
  q: Queryable,
  partnerId: string,
  key: string,
  hash: string,
  orderId: string,
) {
  const r = await q.query(
    `INSERT INTO idempotency_keys (partner_id, key, request_hash, order_id) VALUES ($1, $2, $3, $4)
     ON CONFLICT (partner_id, key) DO NOTHING`,
    [partnerId, key, hash, orderId],
  );
  return r.rowCount === 1;
}

export interface NewPartnerOrder {
  id: string;
  partnerId: string;
  reference: string | null;
  alloy: string;
  quantity: number;
  customer: { name: string; email: string };
  modelKey: string;
  modelSize: number;
  /** The quote it was ordered from: an order's alone (a unique index). */
  quoteId?: string;
}

export async function insertOrder(q: Queryable, o: NewPartnerOrder): Promise<OrderRow> {
  const r = await q.query<OrderRow>(
    `INSERT INTO orders (id, number, partner_id, reference, status, alloy, quantity, customer_name, customer_email,
                         model_key, model_size, quote_id)
     VALUES ($1, 'P-' || lpad(nextval('order_number_seq')::text, 7, '0'), $2, $3, 'SUBMITTED', $4, $5, $6, $7, $8, $9,
             $10)
     RETURNING *`,
    [
      o.id,
      o.partnerId,
      o.reference,
      o.alloy,
      o.quantity,
      o.customer.name,
      o.customer.email,
      o.modelKey,
      o.modelSize,
      o.quoteId ?? null,
    ],
  );
  return r.rows[0] as OrderRow;
}

export async function getOrder(q: Queryable, partnerId: string, id: string): Promise<OrderRow | undefined> {
  return (await q.query<OrderRow>('SELECT * FROM orders WHERE id = $1 AND partner_id = $2', [id, partnerId]))
    .rows[0];
}

export async function listOrders(
  q: Queryable,
  f: { partnerId: string; status?: string; limit: number; after?: string },
): Promise<{ items: OrderRow[]; nextCursor: string | null }> {
  const cursor = decodeCursor(f.after);
  const rows = await q.query<OrderRow>(
    `SELECT * FROM orders
     WHERE partner_id = $1 AND ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [f.partnerId, f.status ?? null, cursor?.at ?? null, cursor?.id ?? null, f.limit + 1],
  );
  return page(rows.rows, f.limit, (r) => ({ at: r.created_at, id: r.id }));
}
