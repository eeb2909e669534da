import type { OrderStatus } from '../../contracts/order-status.js';
import { MES_STATUSES, TERMINAL_STATUSES } from '../../contracts/statuses.js';

/** Statuses that keep an order in the active partition; the others move it to the archive. */
export const ACTIVE_STATUSES: readonly OrderStatus[] = MES_STATUSES.filter(
  (s) => !TERMINAL_STATUSES.includes(s),
);

export { ON_HAND_STATUSES } from '../../contracts/order-status.js';

/** The SQL value of archive_month for an order in work. */
export const ACTIVE_MONTH = `'infinity'`;
