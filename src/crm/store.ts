import type { Queryable } from '../platform/db/types.js';
import { decodeCursor, page } from '../platform/http/cursor.js';
import { orderTable } from '../platform/orders/table.js';
import type { OrderRow } from '../platform/orders/view.js';

export interface CrmRow extends OrderRow {
  approval: 'auto' | 'manual' | null;
  approved_by: string | null;
  awaiting_approval: boolean;
}

const orders = orderTable<CrmRow>('orders');
export const getOrder = orders.get;
export const update = orders.update;

export async function byTrackingNumber(q: Queryable, tracking: string): Promise<CrmRow | undefined> {
  return (await q.query<CrmRow>('SELECT * FROM orders WHERE tracking_number = $1 FOR UPDATE', [tracking]))
    .rows[0];
}

export async function listOrders(
  q: Queryable,
  f: { status?: string; awaitingApproval?: boolean; channel?: string; limit: number; after?: string },
): Promise<{ items: CrmRow[]; nextCursor: string | null }> {
  const cursor = decodeCursor(f.after);
  // Orders waiting for a seller read oldest first (first come, first decided); the rest newest first.
  const oldestFirst = f.awaitingApproval === true;
  const rows = await q.query<CrmRow>(
    `SELECT * FROM orders
     WHERE ($1::text IS NULL OR status = $1)
       AND ($2::boolean IS NULL OR awaiting_approval = $2)
       AND ($3::text IS NULL OR channel = $3)
       AND ($4::timestamptz IS NULL OR (created_at, id) ${oldestFirst ? '>' : '<'} ($4::timestamptz, $5::uuid))
     ORDER BY created_at ${oldestFirst ? 'ASC' : 'DESC'}, id ${oldestFirst ? 'ASC' : 'DESC'} LIMIT $6`,
    [
      f.status ?? null,
      f.awaitingApproval ?? null,
      f.channel ?? null,
      cursor?.at ?? null,
      cursor?.id ?? null,
      f.limit + 1,
    ],
  );
  return page(rows.rows, f.limit, (r) => ({ at: r.created_at, id: r.id }));
}
