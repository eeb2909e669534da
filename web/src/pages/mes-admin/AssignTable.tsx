/**
 * Orders an administrator can hand out: waiting in the queue, assigned, or in work. Each row
 * gives the order to an operator (or moves it to another one), or takes an assigned order that
 * was not started back to the queue; the reason above the table goes into the audit trail.
 */
import { useState } from 'react';
import type { Operator, WorkspaceOrder } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { canMake } from '../../lib/workspaceFilter';
import { DueCell, PieceCell, SkillList } from '../mes/cells';

interface AssignTableProps {
  orders: readonly WorkspaceOrder[];
  operators: readonly Operator[];
  busy: string | null;
  onAssign: (order: WorkspaceOrder, operator: string) => void;
  onRelease: (order: WorkspaceOrder) => void;
}

export function AssignTable({ orders, operators, busy, onAssign, onRelease }: AssignTableProps) {
  // The operator chosen in each row, by order id; it clears itself once the order is theirs.
  const [chosen, setChosen] = useState<Record<string, string>>({});
  if (orders.length === 0) return <p className="muted">No order is waiting or in work.</p>;
  const active = operators.filter((o) => o.active);
  return (
    <table data-testid="admin-orders">
      <thead>
        <tr>
          <th>Number</th>
          <th>Customer · piece</th>
          <th>Needs</th>
          <th>Status</th>
          <th>Due</th>
          <th>Operator</th>
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => {
          const choice = chosen[order.id] ?? '';
          const pick = choice === order.operator ? '' : choice;
          const reassign = order.operator !== null;
          return (
            <tr
              key={order.id}
              data-testid="admin-order-row"
              data-order-number={order.number}
              data-operator={order.operator ?? ''}
            >
              <td className="nowrap">{order.number}</td>
              <PieceCell order={order} />
              <td>
                <SkillList skills={order.requiredSkills} />
              </td>
              <td>
                <StatusBadge status={order.status} testId={`admin-status-${order.number}`} />
              </td>
              <DueCell order={order} />
              <td className="assign-cell">
                <span data-testid={`admin-operator-${order.number}`}>
                  {order.operator ?? <span className="muted">queue</span>}
                </span>
                <div className="inline-form">
                  <select
                    aria-label={`Operator for ${order.number}`}
                    value={pick}
                    data-testid={`assign-operator-${order.number}`}
                    onChange={(e) => setChosen((c) => ({ ...c, [order.id]: e.target.value }))}
                  >
                    <option value="">{reassign ? 'Move to…' : 'Give to…'}</option>
                    {active
                      .filter((o) => o.id !== order.operator)
                      .map((o) => {
                        const able = canMake(o.skills, order.requiredSkills);
                        return (
                          <option key={o.id} value={o.id} disabled={!able}>
                            {o.id} ({o.numbers.onHand}/{o.capacity}){able ? '' : ' — lacks a skill'}
                          </option>
                        );
                      })}
                  </select>
                  <button
                    type="button"
                    data-testid={`assign-${order.number}`}
                    disabled={busy !== null || !pick}
                    onClick={() => onAssign(order, pick)}
                  >
                    {busy === order.id ? '…' : reassign ? 'Reassign' : 'Assign'}
                  </button>
                  {reassign && order.status === 'MANUFACTURING_APPROVED' && (
                    <button
                      type="button"
                      className="secondary"
                      data-testid={`release-${order.number}`}
                      disabled={busy !== null}
                      onClick={() => onRelease(order)}
                    >
                      Release
                    </button>
                  )}
                </div>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
