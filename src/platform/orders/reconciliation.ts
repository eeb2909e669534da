import type { Queryable } from '../db/types.js';

/** What one service knows of an order since a point in time, for the tracker's comparison. */
export interface KnownOrder {
  orderId: string;
  /** Event types this service's consumer handled for the order (its inbox). */
  handled: string[];
  /** Statuses this service itself made, and when (its history rows with itself as the source). */
  made: { status: string; at: string }[];
}

/**
 * The orders a service handled a message for, or moved itself, since `since`: the evidence the
 * tracker compares with the events it saw. Paged by order id (`after`). Reads the inbox and the
 * history through their time indexes only.
 */
export async function knownOrders(
  q: Queryable,
  service: string,
  opts: { since: Date; after?: string; limit: number; orderIds?: readonly string[] },
): Promise<KnownOrder[]> {
  const r = await q.query<{ order_id: string; handled: string[]; made: { status: string; at: string }[] }>(
    `WITH h AS (
       SELECT order_id, array_agg(DISTINCT type) AS handled FROM inbox
       WHERE consumer = $1 AND handled_at >= $2 AND order_id IS NOT NULL
         AND ($4::uuid[] IS NULL OR order_id = ANY($4))
       GROUP BY order_id),
     m AS (
       SELECT order_id, json_agg(json_build_object('status', status, 'at', occurred_at)) AS made
       FROM order_history
       WHERE source = $1 AND occurred_at >= $2 AND ($4::uuid[] IS NULL OR order_id = ANY($4))
       GROUP BY order_id)
     SELECT order_id, coalesce(h.handled, '{}') AS handled, coalesce(m.made, '[]') AS made
     FROM h FULL JOIN m USING (order_id)
     WHERE $3::uuid IS NULL OR order_id > $3
     ORDER BY order_id LIMIT $5`,
    [service, opts.since, opts.after ?? null, opts.orderIds ?? null, opts.limit],
  );
  return r.rows.map((row) => ({ orderId: row.order_id, handled: row.handled, made: row.made }));
}
