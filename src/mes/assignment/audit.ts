import type { Queryable } from '../../platform/db/types.js';

export type AssignmentAction = 'claim' | 'auto' | 'assign' | 'reassign' | 'release';

/** One line of the assignment trail, in the transaction that made the change. */
export async function audit(
  q: Queryable,
  a: {
    orderId: string;
    number: string;
    action: AssignmentAction;
    from?: string | null;
    to?: string | null;
    actor: string;
    reason?: string | null;
  },
): Promise<void> {
  await q.query(
    `INSERT INTO assignment_audit (order_id, order_number, action, from_operator, to_operator, actor, reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [a.orderId, a.number, a.action, a.from ?? null, a.to ?? null, a.actor, a.reason ?? null],
  );
}

export interface AuditRow {
  id: number;
  order_id: string;
  order_number: string;
  action: AssignmentAction;
  from_operator: string | null;
  to_operator: string | null;
  actor: string;
  reason: string | null;
  at: string;
}

/** The trail newest first, for one order or all, paged by id. */
export async function readAudit(
  q: Queryable,
  f: { orderId?: string; before?: number; limit: number },
): Promise<AuditRow[]> {
  return (
    await q.query<AuditRow>(
      `SELECT * FROM assignment_audit
       WHERE ($1::uuid IS NULL OR order_id = $1) AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [f.orderId ?? null, f.before ?? null, f.limit],
    )
  ).rows;
}
