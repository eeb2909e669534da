/** The orders an operator works on, each with a button for its next production stage. */
import { Fragment } from 'react';
import type { Order } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { ADVANCE_LABELS } from '../../lib/status';
import { DetailsToggle } from './DetailsToggle';
import { OrderCardRow } from './OrderCardRow';

interface OperatorOrdersTableProps {
  orders: readonly Order[];
  busy: string | null;
  /** The order whose card is open, if any. */
  openId: string | null;
  onToggle: (order: Order) => void;
  onAdvance: (order: Order) => void;
}

export function OperatorOrdersTable({ orders, busy, openId, onToggle, onAdvance }: OperatorOrdersTableProps) {
  if (orders.length === 0) return <p className="muted">You have no orders. Take one from the queue.</p>;
  return (
    <table data-testid="operator-orders">
      <thead>
        <tr>
          <th>Number</th>
          <th>Kind</th>
          <th>Alloy</th>
          <th className="num">Qty</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => {
          const next = ADVANCE_LABELS[order.status];
          return (
            <Fragment key={order.id}>
              <tr data-testid="operator-row" data-order-number={order.number}>
                <td>{order.number}</td>
                <td>{order.kind ?? '—'}</td>
                <td>{order.alloy ?? '—'}</td>
                <td className="num">{order.quantity ?? '—'}</td>
                <td>
                  <StatusBadge status={order.status} testId={`mes-status-${order.number}`} />
                  {order.trackingNumber && (
                    <span className="muted small" data-testid={`tracking-number-${order.number}`}>
                      {' '}
                      {order.trackingNumber}
                    </span>
                  )}
                </td>
                <td className="row-actions">
                  <DetailsToggle order={order} open={openId === order.id} onToggle={() => onToggle(order)} />
                  {next && (
                    <button
                      type="button"
                      data-testid={`advance-${order.number}`}
                      disabled={busy !== null}
                      onClick={() => onAdvance(order)}
                    >
                      {busy === order.id ? '…' : next}
                    </button>
                  )}
                </td>
              </tr>
              {openId === order.id && <OrderCardRow order={order} columns={6} />}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
