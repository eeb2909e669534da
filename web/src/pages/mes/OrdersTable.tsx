/** Every production order the filters select (active, ended or both), page by page, kept live. */
import { Fragment } from 'react';
import type { WorkspaceOrder } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { formatDateTime } from '../../lib/dates';
import { DueCell, PieceCell } from './cells';
import { DetailsToggle } from './DetailsToggle';
import { OrderCardRow } from './OrderCardRow';

interface OrdersTableProps {
  orders: readonly WorkspaceOrder[];
  openId: string | null;
  onToggle: (order: WorkspaceOrder) => void;
}

const COLUMNS = 7;

export function OrdersTable({ orders, openId, onToggle }: OrdersTableProps) {
  if (orders.length === 0) return <p className="muted">No order matches these filters.</p>;
  return (
    <table data-testid="mes-orders">
      <thead>
        <tr>
          <th>Number</th>
          <th>Customer · piece</th>
          <th>Status</th>
          <th>Operator</th>
          <th>Due</th>
          <th>Created</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <Fragment key={order.id}>
            <tr data-testid="mes-order-row" data-order-number={order.number} data-order-id={order.id}>
              <td className="nowrap">{order.number}</td>
              <PieceCell order={order} />
              <td>
                <StatusBadge status={order.status} testId={`all-status-${order.number}`} />
              </td>
              <td>{order.operator ?? <span className="muted">—</span>}</td>
              <DueCell order={order} />
              <td className="small">{formatDateTime(order.createdAt)}</td>
              <td className="row-actions">
                <DetailsToggle
                  number={order.number}
                  prefix="all-details"
                  open={openId === order.id}
                  onToggle={() => onToggle(order)}
                />
              </td>
            </tr>
            {openId === order.id && <OrderCardRow order={order} columns={COLUMNS} />}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
