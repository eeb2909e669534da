import type { Queryable } from '../../platform/db/types.js';
import { hasSkills } from '../operators/store.js';
import { audit } from './audit.js';

export interface Assignment {
  orderId: string;
  number: string;
  operator: string;
}

interface Candidate {
  operator: string;
  skills: string[];
  capacity: number;
  on_hand: number;
  last_assigned_at: string | null;
}

interface Queued {
  id: string;
  number: string;
  required_skills: string[];
}

/** How many queued orders one run looks at; a run after each approval keeps the queue short. */
const LOOK_AHEAD = 50;

/**
 * Fair auto-assignment: the queue's orders go out overdue first (earliest deadline), then oldest
 * approval first; each goes to the operator who has the skills, has asked for automatic work and
 * has room, the least loaded relative to capacity first and, among equals, the one who waited
 * longest since their last assignment. An order nobody can make stays in the queue for a claim.
 *
 * Runs in the caller's transaction. It locks the candidate operators' rows before it touches any
 * order (the same order a claim takes its locks in, so the two cannot deadlock), and takes orders
 * with SKIP LOCKED, so concurrent runs and claims never hand out the same order.
 */
export async function assignQueued(q: Queryable, actor = 'assigner'): Promise<Assignment[]> {
  // Lock first (id order), then read the figures with a fresh statement, so they include the
  // changes of whoever held the locks before.
  await q.query(
    `SELECT 1 FROM operator_stats s JOIN operators o ON o.id = s.operator
     WHERE o.active AND o.auto_assign ORDER BY s.operator FOR UPDATE OF s`,
  );
  const ops = (
    await q.query<Candidate>(
      `SELECT o.id AS operator, o.skills, o.capacity, n.on_hand, n.last_assigned_at
       FROM operators o JOIN operator_numbers n ON n.operator = o.id
       WHERE o.active AND o.auto_assign AND n.on_hand < o.capacity
       ORDER BY o.id`,
    )
  ).rows;
  if (ops.length === 0) return [];
  const queued = [
    ...(await takeQueued(q, `due_at < now() ORDER BY due_at, id`)),
    ...(await takeQueued(q, `due_at >= now() ORDER BY approved_at, id`)),
  ];

  const made: Assignment[] = [];
  for (const order of queued) {
    const open = ops.filter((o) => o.on_hand < o.capacity && hasSkills(o, order.required_skills));
    if (open.length === 0) {
      if (ops.every((o) => o.on_hand >= o.capacity)) break;
      continue;
    }
    open.sort(
      (a, b) =>
        a.on_hand / a.capacity - b.on_hand / b.capacity ||
        (a.last_assigned_at ?? '').localeCompare(b.last_assigned_at ?? '') ||
        a.operator.localeCompare(b.operator),
    );
    const op = open[0]!;
    await q.query(
      `UPDATE production_orders SET operator = $2, assigned_at = now(), updated_at = now()
       WHERE id = $1 AND archive_month = 'infinity'`,
      [order.id, op.operator],
    );
    await audit(q, { orderId: order.id, number: order.number, action: 'auto', to: op.operator, actor });
    op.on_hand += 1;
    op.last_assigned_at = new Date().toISOString();
    made.push({ orderId: order.id, number: order.number, operator: op.operator });
  }
  return made;
}

/** Locks up to LOOK_AHEAD queued orders, skipping those another transaction holds. */
async function takeQueued(q: Queryable, rest: string): Promise<Queued[]> {
  const r = await q.query<Queued>(
    `SELECT id, number, required_skills FROM production_orders
     WHERE archive_month = 'infinity' AND status = 'MANUFACTURING_APPROVED' AND operator IS NULL AND ${rest}
     LIMIT ${LOOK_AHEAD} FOR UPDATE SKIP LOCKED`,
  );
  return r.rows;
}
