import type { OrderStatus } from '../../contracts/order-status.js';
import { ORDER_STATUSES, TERMINAL_STATUSES } from '../../contracts/order-status.js';

/** Statuses that keep an order in the active partition; the others move it to the archive. */
export const ACTIVE_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter(
  (s) => !TERMINAL_STATUSES.includes(s) && s !== 'INITIATED' && s !== 'FILE_UPLOADED',
);

/** Statuses in which an order is on an operator's hands (counted against their capacity). */
export const ON_HAND_STATUSES: readonly OrderStatus[] = [
  'MANUFACTURING_APPROVED',
  'MANUFACTURING_STARTED',
  'MANUFACTURING_COMPLETED',
  'PACKAGING',
];

/** The SQL value of archive_month for an order in work. */
export const ACTIVE_MONTH = `'infinity'`;
