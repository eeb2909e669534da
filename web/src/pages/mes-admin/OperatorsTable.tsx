/** The operators with their skills, capacity, settings and numbers; "Edit" opens the form below a row. */
import { Fragment } from 'react';
import type { Operator, OperatorInput } from '../../api/types';
import { formatDuration } from '../../lib/dates';
import { SkillList } from '../mes/cells';
import { OperatorForm } from './OperatorForm';

interface OperatorsTableProps {
  operators: readonly Operator[];
  /** The operator whose form is open, if any. */
  editing: string | null;
  busy: boolean;
  onEdit: (id: string | null) => void;
  onSave: (id: string, input: OperatorInput) => void;
}

const COLUMNS = 8;
const yesNo = (value: boolean) => (value ? 'yes' : 'no');

export function OperatorsTable({ operators, editing, busy, onEdit, onSave }: OperatorsTableProps) {
  if (operators.length === 0) return <p className="muted">No operator is registered yet.</p>;
  return (
    <table data-testid="admin-operators">
      <thead>
        <tr>
          <th>Operator</th>
          <th>Skills</th>
          <th className="num">On hand</th>
          <th>Auto</th>
          <th>E-mail</th>
          <th className="num">Taken · done</th>
          <th className="num">Avg. making</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {operators.map((o) => (
          <Fragment key={o.id}>
            <tr
              data-testid="admin-operator-row"
              data-operator-id={o.id}
              data-active={o.active ? 'true' : 'false'}
              className={o.active ? undefined : 'inactive'}
            >
              <td>
                <strong>{o.name}</strong> <code>{o.id}</code>
                {!o.active && <span className="badge"> inactive</span>}
                <div className="muted small">{o.email ?? 'no e-mail'}</div>
              </td>
              <td data-testid={`op-skills-${o.id}`}>
                <SkillList skills={o.skills} />
              </td>
              <td
                className="num"
                data-testid={`op-load-${o.id}`}
                data-on-hand={o.numbers.onHand}
                data-capacity={o.capacity}
              >
                {o.numbers.onHand} / {o.capacity}
              </td>
              <td data-testid={`op-auto-${o.id}`}>{yesNo(o.autoAssign)}</td>
              <td data-testid={`op-notify-${o.id}`}>{yesNo(o.notifyEmail)}</td>
              <td className="num" data-testid={`op-taken-${o.id}`}>
                {o.numbers.taken} · {o.numbers.completed}
              </td>
              <td className="num" data-testid={`op-average-${o.id}`}>
                {formatDuration(o.numbers.averageMakingMs)}
              </td>
              <td className="row-actions">
                <button
                  type="button"
                  className="secondary"
                  data-testid={`op-edit-${o.id}`}
                  aria-expanded={editing === o.id}
                  onClick={() => onEdit(editing === o.id ? null : o.id)}
                >
                  {editing === o.id ? 'Close' : 'Edit'}
                </button>
              </td>
            </tr>
            {editing === o.id && (
              <tr className="card-row">
                <td colSpan={COLUMNS}>
                  <OperatorForm operator={o} busy={busy} onSave={onSave} onCancel={() => onEdit(null)} />
                </td>
              </tr>
            )}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
