import type { Queryable } from '../../platform/db/types.js';
import { AtCapacityError, OperatorInactiveError, OperatorUnknownError, SkillMissingError } from './errors.js';
import { hasSkills, lockOperator, type OperatorRow } from './store.js';

/**
 * The operator who is about to take an order, locked for the rest of the transaction so two
 * claims by the same operator cannot both pass the capacity check.
 */
export async function operatorForWork(q: Queryable, id: string): Promise<OperatorRow> {
  const op = await lockOperator(q, id);
  if (!op) throw new OperatorUnknownError(id);
  if (!op.active) throw new OperatorInactiveError(id);
  if (op.on_hand >= op.capacity) throw new AtCapacityError(id, op.on_hand, op.capacity);
  return op;
}

export function requireSkills(op: OperatorRow, order: { number: string; required_skills: string[] }): void {
  if (!hasSkills(op, order.required_skills)) {
    const missing = order.required_skills.filter((s) => !op.skills.includes(s));
    throw new SkillMissingError(order.number, missing.join(', '), op.id);
  }
}
