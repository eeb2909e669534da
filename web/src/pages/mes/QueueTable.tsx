/** Approved orders waiting for an operator, oldest first, each with a "Take" button. */
import { Fragment } from 'react';
import type { Order } from '../../api/types';
import { formatDateTime } from '../../lib/dates';
import { DetailsToggle } from './DetailsToggle';
import { OrderCardRow } from './OrderCardRow';

interface QueueTableProps {
  orders: readonly Order[];
  busy: string | null;
  /** The order whose card is open, if any. */
  openId: string | null;
  onToggle: (order: Order) => void;
  onTake: (order: Order) => void;
}

export function QueueTable({ orders, busy, openId, onToggle, onTake }: QueueTableProps) {
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
          <Fragment key={order.id}>
            <tr data-testid="queue-row" data-order-number={order.number}>
              <td>{order.number}</td>
              <td>
                {order.kind ?? '—'}
                {order.catalogSku && <span className="muted small"> · {order.catalogSku}</span>}
              </td>
              <td>{order.alloy ?? '—'}</td>
              <td className="num">{order.quantity ?? '—'}</td>
              <td className="small">{formatDateTime(order.updatedAt ?? order.createdAt)}</td>
              <td className="row-actions">
                <DetailsToggle order={order} open={openId === order.id} onToggle={() => onToggle(order)} />
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
            {openId === order.id && <OrderCardRow order={order} columns={6} />}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
