/** The latest orders with their status; shipped ones can be marked delivered by hand. */
import type { Order } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime, newestFirst } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { trackHash } from '../../lib/router';

interface RecentOrdersTableProps {
  orders: readonly Order[];
  busy: string | null;
  onClose: (order: Order) => void;
}

export function RecentOrdersTable({ orders, busy, onClose }: RecentOrdersTableProps) {
  if (orders.length === 0) return <p className="muted">No orders yet.</p>;
  return (
    <table data-testid="crm-orders">
      <thead>
        <tr>
          <th>Number</th>
          <th>Channel</th>
          <th>Kind</th>
          <th>Status</th>
          <th className="num">Price</th>
          <th>Created</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {newestFirst(orders).map((order) => (
          <tr key={order.id} data-testid="crm-order-row" data-order-number={order.number}>
            <td>
              <a href={trackHash(order.id)}>{order.number}</a>
            </td>
            <td>{order.channel ?? '—'}</td>
            <td>{order.kind ?? '—'}</td>
            <td>
              <StatusBadge status={order.status} testId={`crm-status-${order.number}`} />
            </td>
            <td className="num">{formatMoney(order.price)}</td>
            <td className="small">{formatDateTime(order.createdAt)}</td>
            <td className="row-actions">
              {order.status === 'SHIPPED' && (
                <button
                  type="button"
                  data-testid={`close-${order.number}`}
                  disabled={busy !== null}
                  onClick={() => onClose(order)}
                >
                  {busy === order.id ? '…' : 'Mark delivered'}
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
