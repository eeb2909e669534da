import type { OrderStatus } from '../../contracts/order-status.js';
import { ORDER_STATUSES, TERMINAL_STATUSES } from '../../contracts/order-status.js';

/** Statuses that keep an order in the active partition; the others move it to the archive. */
export const ACTIVE_STATUSES: readonly OrderStatus[] = ORDER_STATUSES.filter(
  (s) => !TERMINAL_STATUSES.includes(s) && s !== 'INITIATED' && s !== 'FILE_UPLOADED',
);

export { ON_HAND_STATUSES } from '../../contracts/order-status.js';

/** The SQL value of archive_month for an order in work. */
export const ACTIVE_MONTH = `'infinity'`;
