import type { OrderStatus } from '../api/types';
import { STATUS_LABELS } from '../lib/status';

/** An order status as a coloured tag; the text is the status code, the tooltip its meaning. */
export function StatusBadge({ status, testId }: { status: OrderStatus; testId?: string }) {
  return (
    <span
      className={`badge badge-${status.toLowerCase()}`}
      title={STATUS_LABELS[status]}
      data-status={status}
      data-testid={testId}
    >
      {status}
    </span>
  );
}
