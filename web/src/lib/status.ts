/** The order lifecycle as the web app shows it. */
import type { OrderKind, OrderStatus } from '../api/types';
import { LIFECYCLE, TERMINAL_STATUSES } from '../../../src/contracts/statuses';

/** The happy path, in order (FILE_UPLOADED only happens for custom pieces). */
export { LIFECYCLE };

export const STATUS_LABELS: Readonly<Record<OrderStatus, string>> = {
  INITIATED: 'Order created',
  FILE_UPLOADED: '3D model uploaded',
  SUBMITTED: 'Submitted',
  PRICE_CALCULATED: 'Price calculated',
  MANUFACTURING_APPROVED: 'Approved for manufacturing',
  MANUFACTURING_STARTED: 'In manufacturing',
  MANUFACTURING_COMPLETED: 'Manufacturing completed',
  PACKAGING: 'Packaging',
  SHIPPED: 'Shipped',
  CLOSED: 'Delivered',
  CANCELLED: 'Cancelled',
  REJECTED: 'Rejected',
  PRICING_FAILED: 'Pricing failed — our staff are on it',
};

export function isTerminal(status: OrderStatus): boolean {
  return TERMINAL_STATUSES.includes(status);
}

export function isAborted(status: OrderStatus): status is 'CANCELLED' | 'REJECTED' {
  return status === 'CANCELLED' || status === 'REJECTED';
}

/** The steps an order of this kind goes through. */
export function lifecycleFor(kind: OrderKind | undefined): OrderStatus[] {
  return LIFECYCLE.filter((status) => status !== 'FILE_UPLOADED' || kind !== 'catalog');
}

/**
 * What "Advance" does next on the production floor, by current status (an approved order only
 * reaches an operator's list when it was assigned to them; advancing starts it).
 */
export const ADVANCE_LABELS: Partial<Readonly<Record<OrderStatus, string>>> = {
  MANUFACTURING_APPROVED: 'Start manufacturing',
  MANUFACTURING_STARTED: 'Complete manufacturing',
  MANUFACTURING_COMPLETED: 'Start packaging',
  PACKAGING: 'Ship',
};
