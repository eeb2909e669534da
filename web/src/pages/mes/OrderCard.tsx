/**
 * One production order in detail: who has it, the skills it needs, its deadline, the 3D model
 * (custom pieces, from `modelUrl`) with its figures, the price breakdown and the history. Loaded
 * from `GET /api/mes/orders/:id` when the card opens, and again when the live list says the
 * order changed (the preview keeps its model: the URL stays the same).
 */
import { useEffect, useRef } from 'react';
import { getProductionOrder } from '../../api/mes';
import type { ModelFormatHint, Order } from '../../api/types';
import { BreakdownList } from '../../components/BreakdownList';
import { ErrorMessage } from '../../components/ErrorMessage';
import { LazyModelPreview } from '../../components/LazyModelPreview';
import { StatusBadge } from '../../components/StatusBadge';
import { breakdownOf, figuresOf } from '../../lib/breakdown';
import { formatDateTime } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { usePolling } from '../../lib/usePolling';
import { isOverdue } from '../../lib/workspaceFilter';
import { SkillList } from './cells';

/** The stored file's extension says STL or OBJ; otherwise the preview sniffs the bytes. */
function formatOf(order: Order): ModelFormatHint {
  const key = order.model?.key.toLowerCase() ?? '';
  if (key.endsWith('.obj')) return 'obj';
  if (key.endsWith('.stl')) return 'stl';
  return undefined;
}

interface OrderCardProps {
  id: string;
  number: string;
  /** The listed version: when it changes, the card reloads. */
  updatedAt?: string;
}

export function OrderCard({ id, number, updatedAt }: OrderCardProps) {
  const detail = usePolling((signal) => getProductionOrder(id, signal), { key: id });
  const { refresh } = detail;
  const shown = useRef(updatedAt);
  useEffect(() => {
    if (updatedAt === shown.current) return;
    shown.current = updatedAt;
    refresh();
  }, [updatedAt, refresh]);

  const order = detail.data;
  return (
    <div className="order-card" data-testid="mes-order-card" data-order-number={number}>
      <ErrorMessage message={detail.error} testId="mes-card-error" />
      {!order && !detail.error && <p className="muted">Loading the order…</p>}
      {order && <OrderDetails order={order} />}
    </div>
  );
}

function OrderDetails({ order }: { order: Order }) {
  const breakdown = breakdownOf(order);
  const price = order.price ?? breakdown?.total ?? null;
  const alloy = { name: order.alloy ?? '', densityGPerCm3: breakdown?.densityGPerCm3 };
  const overdue = order.dueAt !== undefined && isOverdue({ dueAt: order.dueAt, status: order.status });
  return (
    <>
      <p className="muted small">
        {order.kind === 'custom' ? 'Custom piece' : `Catalog ${order.catalogSku ?? ''}`}
        {order.alloy && ` · ${order.alloy}`}
        {order.quantity !== undefined && ` × ${order.quantity}`}
        {order.customer && ` · for ${order.customer.name}`}
      </p>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          <StatusBadge status={order.status} testId="mes-card-status" />
        </dd>
        <dt>Operator</dt>
        <dd data-testid="mes-card-operator">{order.operator ?? 'nobody yet'}</dd>
        <dt>Needs</dt>
        <dd data-testid="mes-card-skills">
          <SkillList skills={order.requiredSkills ?? []} />
        </dd>
        <dt>Due</dt>
        <dd data-testid="mes-card-due" data-overdue={overdue ? 'true' : 'false'}>
          {formatDateTime(order.dueAt)}
          {overdue && <span className="badge badge-overdue"> overdue</span>}
        </dd>
        {order.trackingNumber && (
          <>
            <dt>Tracking</dt>
            <dd>{order.trackingNumber}</dd>
          </>
        )}
      </dl>
      {order.modelUrl ? (
        <LazyModelPreview
          url={order.modelUrl}
          format={formatOf(order)}
          figures={figuresOf(breakdown)}
          alloy={order.alloy ? alloy : undefined}
        />
      ) : (
        <p className="muted" data-testid="mes-no-model">
          {order.kind === 'custom'
            ? 'The model file of this order is not available.'
            : 'A catalog piece: there is no 3D model to show.'}
        </p>
      )}
      {price && (
        <div className="price">
          <p>
            Price: <strong data-testid="mes-order-price">{formatMoney(price)}</strong>
          </p>
          {breakdown && (
            <BreakdownList
              breakdown={breakdown}
              currency={price.currency}
              testId="mes-price-breakdown"
              prefix="mes-breakdown"
            />
          )}
        </div>
      )}
      {order.history && order.history.length > 0 && (
        <>
          <h4>History</h4>
          <ol className="history" data-testid="mes-order-history">
            {order.history.map((entry, index) => (
              <li key={index} data-testid="history-entry" data-status={entry.status}>
                <span className="muted small">{formatDateTime(entry.occurredAt)}</span>{' '}
                <code>{entry.status}</code> · {entry.actor}
                {entry.reason && <span className="muted"> — {entry.reason}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
    </>
  );
}
