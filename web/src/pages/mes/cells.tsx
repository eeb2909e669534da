/** Table cells the workspace lists share: the piece, the skills it needs, the deadline. */
import type { WorkspaceOrder } from '../../api/types';
import { formatDate, formatDateTime } from '../../lib/dates';
import { isOverdue } from '../../lib/workspaceFilter';

export function PieceCell({ order }: { order: WorkspaceOrder }) {
  return (
    <td>
      {order.customerName ?? order.partnerId ?? '—'}
      <div className="muted small">
        {order.kind} · {order.alloy} × {order.quantity}
        {order.channel === 'b2b' && ' · partner'}
      </div>
    </td>
  );
}

/** The skills an order needs; with `have`, the ones the operator lacks are marked. */
export function SkillList({ skills, have }: { skills: readonly string[]; have?: readonly string[] }) {
  return (
    <span className="skills">
      {skills.map((skill) => {
        const missing = have !== undefined && !have.includes(skill);
        return (
          <span
            key={skill}
            className={`skill${missing ? ' skill-missing' : ''}`}
            data-missing={missing ? 'true' : undefined}
            title={missing ? 'You lack this skill' : undefined}
          >
            {skill.replace('_', ' ')}
          </span>
        );
      })}
    </span>
  );
}

export function DueCell({ order }: { order: WorkspaceOrder }) {
  const overdue = isOverdue(order);
  return (
    <td
      className="small nowrap"
      title={formatDateTime(order.dueAt)}
      data-overdue={overdue ? 'true' : 'false'}
    >
      {formatDate(order.dueAt)}
      {overdue && <span className="badge badge-overdue"> overdue</span>}
    </td>
  );
}
