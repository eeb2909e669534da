import type { Queryable } from '../platform/db/types.js';
import { decodeCursor, page } from '../platform/http/cursor.js';
import { orderTable } from '../platform/orders/table.js';
import type { OrderRow } from '../platform/orders/view.js';

export interface ProductionRow extends OrderRow {
  operator: string | null;
  approved_at: string | null;
  claimed_at: string | null;
  pricing_ms: number | null;
}

const orders = orderTable<ProductionRow>('production_orders');
export const getOrder = orders.get;
export const update = orders.update;

/**
 * The atomic claim: the status check and the write are one statement, so of two operators
 * claiming the same order exactly one row update happens; the other gets nothing back.
 */
export async function claim(q: Queryable, id: string, operator: string): Promise<ProductionRow | undefined> {
  return (
    await q.query<ProductionRow>(
      `UPDATE production_orders SET status = 'MANUFACTURING_STARTED', operator = $2, claimed_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'MANUFACTURING_APPROVED' RETURNING *`,
      [id, operator],
    )
  ).rows[0];
}

/** Claims the oldest waiting order; SKIP LOCKED lets concurrent operators each get a different one. */
export async function claimNext(q: Queryable, operator: string): Promise<ProductionRow | undefined> {
  return (
    await q.query<ProductionRow>(
      `UPDATE production_orders SET status = 'MANUFACTURING_STARTED', operator = $1, claimed_at = now(), updated_at = now()
       WHERE id = (SELECT id FROM production_orders WHERE status = 'MANUFACTURING_APPROVED'
                   ORDER BY approved_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [operator],
    )
  ).rows[0];
}

export async function queue(q: Queryable, f: { limit: number; after?: string }) {
  const cursor = decodeCursor(f.after);
  const rows = await q.query<ProductionRow>(
    `SELECT * FROM production_orders WHERE status = 'MANUFACTURING_APPROVED'
       AND ($1::timestamptz IS NULL OR (approved_at, id) > ($1::timestamptz, $2::uuid))
     ORDER BY approved_at, id LIMIT $3`,
    [cursor?.at ?? null, cursor?.id ?? null, f.limit + 1],
  );
  return page(rows.rows, f.limit, (r) => ({ at: r.approved_at as string, id: r.id }));
}

export async function listOrders(
  q: Queryable,
  f: { status?: string; operator?: string; limit: number; after?: string },
) {
  const cursor = decodeCursor(f.after);
  const rows = await q.query<ProductionRow>(
    `SELECT * FROM production_orders
     WHERE ($1::text IS NULL OR status = $1) AND ($2::text IS NULL OR operator = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [f.status ?? null, f.operator ?? null, cursor?.at ?? null, cursor?.id ?? null, f.limit + 1],
  );
  return page(rows.rows, f.limit, (r) => ({ at: r.created_at, id: r.id }));
}
