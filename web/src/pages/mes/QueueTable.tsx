/** Approved orders nobody has taken, the longest waiting first, each with a "Take" button. */
import { Fragment } from 'react';
import type { WorkspaceOrder } from '../../api/types';
import { formatDateTime } from '../../lib/dates';
import { canMake } from '../../lib/workspaceFilter';
import { DueCell, PieceCell, SkillList } from './cells';
import { DetailsToggle } from './DetailsToggle';
import { OrderCardRow } from './OrderCardRow';

interface QueueTableProps {
  orders: readonly WorkspaceOrder[];
  /** The operator's skills: orders needing others are marked. */
  skills: readonly string[] | undefined;
  busy: string | null;
  selectedId: string | null;
  openId: string | null;
  onSelect: (order: WorkspaceOrder) => void;
  onToggle: (order: WorkspaceOrder) => void;
  onTake: (order: WorkspaceOrder) => void;
}

const COLUMNS = 6;

export function QueueTable(props: QueueTableProps) {
  const { orders, skills, busy, selectedId, openId, onSelect, onToggle, onTake } = props;
  if (orders.length === 0) return <p className="muted">The queue is empty.</p>;
  return (
    <table data-testid="queue">
      <thead>
        <tr>
          <th>Number</th>
          <th>Customer · piece</th>
          <th>Needs</th>
          <th>Due</th>
          <th>Waiting since</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => {
          const selected = order.id === selectedId;
          const makeable = skills === undefined || canMake(skills, order.requiredSkills);
          return (
            <Fragment key={order.id}>
              <tr
                data-testid="queue-row"
                data-order-number={order.number}
                data-order-id={order.id}
                data-selected={selected ? 'true' : 'false'}
                aria-selected={selected}
                className={selected ? 'selected' : undefined}
                onClick={() => onSelect(order)}
              >
                <td className="nowrap">{order.number}</td>
                <PieceCell order={order} />
                <td>
                  <SkillList skills={order.requiredSkills} have={skills} />
                </td>
                <DueCell order={order} />
                <td className="small">{formatDateTime(order.approvedAt)}</td>
                <td className="row-actions">
                  <DetailsToggle
                    number={order.number}
                    open={openId === order.id}
                    onToggle={() => onToggle(order)}
                  />
                  <button
                    type="button"
                    data-testid={`take-${order.number}`}
                    disabled={busy !== null}
                    title={makeable ? undefined : 'This order needs a skill you do not have'}
                    onClick={(event) => {
                      event.stopPropagation();
                      onTake(order);
                    }}
                  >
                    {busy === order.id ? '…' : 'Take'}
                  </button>
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
