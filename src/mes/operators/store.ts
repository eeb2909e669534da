import type { Queryable } from '../../platform/db/types.js';

export interface OperatorRow {
  id: string;
  name: string;
  email: string | null;
  skills: string[];
  capacity: number;
  auto_assign: boolean;
  notify_email: boolean;
  active: boolean;
  created_at: string;
  updated_at: string;
  on_hand: number;
  taken: number;
  completed: number;
  making_ms: number;
  last_assigned_at: string | null;
}

export interface OperatorInput {
  name: string;
  email?: string | null;
  skills: string[];
  capacity: number;
  autoAssign?: boolean;
  notifyEmail?: boolean;
  active?: boolean;
}

const SELECT = `SELECT o.*, COALESCE(s.on_hand, 0) AS on_hand, COALESCE(s.taken, 0) AS taken,
  COALESCE(s.completed, 0) AS completed, COALESCE(s.making_ms, 0) AS making_ms, s.last_assigned_at
  FROM operators o LEFT JOIN operator_numbers s ON s.operator = o.id`;

export async function getOperator(q: Queryable, id: string): Promise<OperatorRow | undefined> {
  return (await q.query<OperatorRow>(`${SELECT} WHERE o.id = $1`, [id])).rows[0];
}

export async function listOperators(q: Queryable): Promise<OperatorRow[]> {
  return (await q.query<OperatorRow>(`${SELECT} ORDER BY o.name, o.id`)).rows;
}

/** Creates or replaces an operator; returns whether it was new. */
export async function putOperator(q: Queryable, id: string, o: OperatorInput): Promise<boolean> {
  const r = await q.query<{ created: boolean }>(
    `INSERT INTO operators (id, name, email, skills, capacity, auto_assign, notify_email, active)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, skills = EXCLUDED.skills,
       capacity = EXCLUDED.capacity, auto_assign = EXCLUDED.auto_assign, notify_email = EXCLUDED.notify_email,
       active = EXCLUDED.active, updated_at = now()
     RETURNING (xmax = 0) AS created`,
    [
      id,
      o.name,
      o.email ?? null,
      [...new Set(o.skills)],
      o.capacity,
      o.autoAssign ?? false,
      o.notifyEmail ?? false,
      o.active ?? true,
    ],
  );
  await q.query('INSERT INTO operator_stats (operator) VALUES ($1) ON CONFLICT DO NOTHING', [id]);
  return r.rows[0]?.created ?? false;
}

/**
 * Locks the operator's row of figures: claims and assignments to one operator take turns. The
 * figures are read after the lock, by a new statement, so they include the change of whoever
 * held it before.
 */
export async function lockOperator(q: Queryable, id: string): Promise<OperatorRow | undefined> {
  await q.query('SELECT 1 FROM operator_stats WHERE operator = $1 FOR UPDATE', [id]);
  return getOperator(q, id);
}

export function hasSkills(op: { skills: string[] }, required: string[]): boolean {
  return required.every((s) => op.skills.includes(s));
}
