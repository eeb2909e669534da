/** The assignment audit trail, newest first: claims, the assigner's choices, administrator changes. */
import type { AssignmentEntry } from '../../api/types';
import { formatDateTime } from '../../lib/dates';

const ACTION_LABELS: Readonly<Record<string, string>> = {
  claim: 'took it',
  auto: 'assigned automatically',
  assign: 'assigned',
  reassign: 'reassigned',
  release: 'released to the queue',
};

export function AuditTrail({ entries }: { entries: readonly AssignmentEntry[] }) {
  if (entries.length === 0) return <p className="muted">Nothing has been assigned yet.</p>;
  return (
    <table data-testid="audit-trail">
      <thead>
        <tr>
          <th>When</th>
          <th>Order</th>
          <th>What</th>
          <th>From → to</th>
          <th>By</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id} data-testid="audit-row" data-action={e.action} data-order-number={e.orderNumber}>
            <td className="small">{formatDateTime(e.at)}</td>
            <td className="nowrap">{e.orderNumber}</td>
            <td>{ACTION_LABELS[e.action] ?? e.action}</td>
            <td>
              {e.fromOperator ?? '—'} → {e.toOperator ?? 'queue'}
            </td>
            <td>{e.actor}</td>
            <td className="small">{e.reason ?? <span className="muted">—</span>}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
