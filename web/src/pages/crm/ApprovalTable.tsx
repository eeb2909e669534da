/** Orders with a price that wait for a seller's decision. */
import type { Order } from '../../api/types';
import { formatMoney } from '../../lib/money';

interface ApprovalTableProps {
  orders: readonly Order[];
  busy: string | null;
  onApprove: (order: Order) => void;
  onReject: (order: Order) => void;
  onCancel: (order: Order) => void;
}

export function ApprovalTable({ orders, busy, onApprove, onReject, onCancel }: ApprovalTableProps) {
  if (orders.length === 0) return <p className="muted">Nothing waits for approval.</p>;
  return (
    <table data-testid="approval-list">
      <thead>
        <tr>
          <th>Number</th>
          <th>Channel</th>
          <th>Kind</th>
          <th>Customer</th>
          <th className="num">Price</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr key={order.id} data-testid="approval-row" data-order-number={order.number}>
            <td>{order.number}</td>
            <td>{order.channel ?? '—'}</td>
            <td>
              {order.kind ?? '—'}
              {order.alloy && <span className="muted small"> · {order.alloy}</span>}
              {order.quantity !== undefined && <span className="muted small"> × {order.quantity}</span>}
            </td>
            <td>{order.customer?.name ?? '—'}</td>
            <td className="num">{formatMoney(order.price)}</td>
            <td className="row-actions">
              <button
                type="button"
                data-testid={`approve-${order.number}`}
                disabled={busy !== null}
                onClick={() => onApprove(order)}
              >
                {busy === order.id ? '…' : 'Approve'}
              </button>
              <button
                type="button"
                className="danger"
                data-testid={`reject-${order.number}`}
                disabled={busy !== null}
                onClick={() => onReject(order)}
              >
                Reject
              </button>
              <button
                type="button"
                className="danger"
                data-testid={`cancel-${order.number}`}
                disabled={busy !== null}
                onClick={() => onCancel(order)}
              >
                Cancel
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
