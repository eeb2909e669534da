/** Approved orders waiting for an operator, oldest first, each with a "Take" button. */
import type { Order } from '../../api/types';
import { formatDateTime } from '../../lib/dates';

interface QueueTableProps {
  orders: readonly Order[];
  busy: string | null;
  onTake: (order: Order) => void;
}

export function QueueTable({ orders, busy, onTake }: QueueTableProps) {
  if (orders.length === 0) return <p className="muted">The queue is empty.</p>;
  return (
    <table data-testid="queue">
      <thead>
        <tr>
          <th>Number</th>
          <th>Kind</th>
          <th>Alloy</th>
          <th className="num">Qty</th>
          <th>Waiting since</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr key={order.id} data-testid="queue-row" data-order-number={order.number}>
            <td>{order.number}</td>
            <td>
              {order.kind ?? '—'}
              {order.catalogSku && <span className="muted small"> · {order.catalogSku}</span>}
            </td>
            <td>{order.alloy ?? '—'}</td>
            <td className="num">{order.quantity ?? '—'}</td>
            <td className="small">{formatDateTime(order.updatedAt ?? order.createdAt)}</td>
            <td className="row-actions">
              <button
                type="button"
                data-testid={`take-${order.number}`}
                disabled={busy !== null}
                onClick={() => onTake(order)}
              >
                {busy === order.id ? '…' : 'Take'}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
