import type { Queryable } from '../platform/db/types.js';
import { decodeCursor, page } from '../platform/http/cursor.js';
import type { OrderRow } from '../platform/orders/view.js';

export interface ProductionRow extends OrderRow {
  operator: string | null;
  required_skills: string[];
  approved_at: string | null;
  assigned_at: string | null;
  claimed_at: string | null;
  completed_at: string | null;
  due_at: string;
  pricing_ms: number | null;
  archive_month: string;
}

/**
 * Reads an order by id. The active partition first (pruned by the partition key), then the
 * archive ones, which only hold orders that ended.
 */
export async function getOrder(
  q: Queryable,
  id: string,
  forUpdate = false,
): Promise<ProductionRow | undefined> {
  const lock = forUpdate ? 'FOR UPDATE' : '';
  const active = await q.query<ProductionRow>(
    `SELECT * FROM production_orders WHERE id = $1 AND archive_month = 'infinity' ${lock}`,
    [id],
  );
  if (active.rows[0]) return active.rows[0];
  return (await q.query<ProductionRow>(`SELECT * FROM production_orders WHERE id = $1 ${lock}`, [id]))
    .rows[0];
}

/** Updates an order in work (they live in the active partition). Column names come from our code. */
export async function update(
  q: Queryable,
  id: string,
  fields: Record<string, unknown>,
): Promise<ProductionRow> {
  const cols = Object.keys(fields);
  const r = await q.query<ProductionRow>(
    `UPDATE production_orders SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')}, updated_at = now()
     WHERE id = $1 AND archive_month = 'infinity' RETURNING *`,
    [id, ...cols.map((c) => fields[c])],
  );
  return r.rows[0] as ProductionRow;
}

/**
 * The atomic claim: the queue check and the write are one statement, so of two operators
 * claiming the same order exactly one row update happens; the other gets nothing back.
 */
export async function claim(q: Queryable, id: string, operator: string): Promise<ProductionRow | undefined> {
  return (
    await q.query<ProductionRow>(
      `UPDATE production_orders SET status = 'MANUFACTURING_STARTED', operator = $2, assigned_at = now(),
         claimed_at = now(), updated_at = now()
       WHERE id = $1 AND archive_month = 'infinity' AND status = 'MANUFACTURING_APPROVED' AND operator IS NULL
       RETURNING *`,
      [id, operator],
    )
  ).rows[0];
}

/**
 * Claims the next order this operator can make: overdue first, then the oldest approval. SKIP
 * LOCKED lets concurrent operators each get a different one.
 */
export async function claimNext(
  q: Queryable,
  operator: string,
  skills: string[],
): Promise<ProductionRow | undefined> {
  for (const rest of ['due_at < now() ORDER BY due_at, id', 'due_at >= now() ORDER BY approved_at, id']) {
    const r = await q.query<ProductionRow>(
      `UPDATE production_orders SET status = 'MANUFACTURING_STARTED', operator = $1, assigned_at = now(),
         claimed_at = now(), updated_at = now()
       WHERE archive_month = 'infinity' AND id = (
         SELECT id FROM production_orders
         WHERE archive_month = 'infinity' AND status = 'MANUFACTURING_APPROVED' AND operator IS NULL
           AND required_skills <@ $2::text[] AND ${rest}
         LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING *`,
      [operator, skills],
    );
    if (r.rows[0]) return r.rows[0];
  }
  return undefined;
}

/** The queue: approved and nobody's, oldest approval first. */
export async function queue(q: Queryable, f: { limit: number; after?: string }) {
  const cursor = decodeCursor(f.after);
  const rows = await q.query<ProductionRow>(
    `SELECT * FROM production_orders
     WHERE archive_month = 'infinity' AND status = 'MANUFACTURING_APPROVED' AND operator IS NULL
       AND ($1::timestamptz IS NULL OR (approved_at, id) > ($1::timestamptz, $2::uuid))
     ORDER BY approved_at, id LIMIT $3`,
    [cursor?.at ?? null, cursor?.id ?? null, f.limit + 1],
  );
  return page(rows.rows, f.limit, (r) => ({ at: r.approved_at as string, id: r.id }));
}
