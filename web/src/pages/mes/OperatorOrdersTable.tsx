/** The orders an operator has, soonest deadline first, each with a button for its next stage. */
import { Fragment } from 'react';
import type { WorkspaceOrder } from '../../api/types';
import { StatusBadge } from '../../components/StatusBadge';
import { ADVANCE_LABELS } from '../../lib/status';
import { DueCell, PieceCell } from './cells';
import { DetailsToggle } from './DetailsToggle';
import { OrderCardRow } from './OrderCardRow';

interface OperatorOrdersTableProps {
  orders: readonly WorkspaceOrder[];
  busy: string | null;
  selectedId: string | null;
  openId: string | null;
  onSelect: (order: WorkspaceOrder) => void;
  onToggle: (order: WorkspaceOrder) => void;
  onAdvance: (order: WorkspaceOrder) => void;
}

const COLUMNS = 5;

export function OperatorOrdersTable(props: OperatorOrdersTableProps) {
  const { orders, busy, selectedId, openId, onSelect, onToggle, onAdvance } = props;
  if (orders.length === 0) return <p className="muted">You have no orders. Take one from the queue.</p>;
  return (
    <table data-testid="operator-orders">
      <thead>
        <tr>
          <th>Number</th>
          <th>Customer · piece</th>
          <th>Due</th>
          <th>Status</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => {
          const next = ADVANCE_LABELS[order.status];
          const selected = order.id === selectedId;
          return (
            <Fragment key={order.id}>
              <tr
                data-testid="operator-row"
                data-order-number={order.number}
                data-order-id={order.id}
                data-selected={selected ? 'true' : 'false'}
                aria-selected={selected}
                className={selected ? 'selected' : undefined}
                onClick={() => onSelect(order)}
              >
                <td className="nowrap">{order.number}</td>
                <PieceCell order={order} />
                <DueCell order={order} />
                <td>
                  <StatusBadge status={order.status} testId={`mes-status-${order.number}`} />
                  {order.status === 'SHIPPED' && order.trackingNumber && (
                    <span className="muted small" data-testid={`tracking-number-${order.number}`}>
                      {' '}
                      {order.trackingNumber}
                    </span>
                  )}
                </td>
                <td className="row-actions">
                  <DetailsToggle
                    number={order.number}
                    open={openId === order.id}
                    onToggle={() => onToggle(order)}
                  />
                  {next && (
                    <button
                      type="button"
                      data-testid={`advance-${order.number}`}
                      disabled={busy !== null}
                      onClick={(event) => {
                        event.stopPropagation();
                        onAdvance(order);
                      }}
                    >
                      {busy === order.id ? '…' : next}
                    </button>
                  )}
                </td>
              </tr>
              {openId === order.id && <OrderCardRow order={order} columns={COLUMNS} />}
            </Fragment>
          );
        })}
      </tbody>
    </table>
  );
}
