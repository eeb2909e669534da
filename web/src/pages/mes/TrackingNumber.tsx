/**
 * The carrier's tracking number of a shipped order. The workspace list does not carry it, so it
 * is read once from the order (`GET /api/mes/orders/:id`).
 */
import { getProductionOrder } from '../../api/mes';
import type { WorkspaceOrder } from '../../api/types';
import { usePolling } from '../../lib/usePolling';

export function TrackingNumber({ order }: { order: WorkspaceOrder }) {
  const detail = usePolling((signal) => getProductionOrder(order.id, signal), { key: order.id });
  const trackingNumber = detail.data?.trackingNumber;
  if (!trackingNumber) return null;
  return (
    <span className="muted small" data-testid={`tracking-number-${order.number}`}>
      {' '}
      {trackingNumber}
    </span>
  );
}
