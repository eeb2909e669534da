/**
 * The workspace's filters: read from and written to the hash query (`#/mes?status=PACKAGING&q=ada`),
 * sent to `GET /api/mes/workspace/orders`, and applied to live events the same way the server
 * applies them to the list, so an order that stops matching leaves the list.
 */
import type { Channel, OrderStatus, WorkspaceOrder } from '../api/types';
import { MES_STATUSES, ON_HAND_STATUSES, TERMINAL_STATUSES } from '../../../src/contracts/statuses';

export type Scope = 'active' | 'archive' | 'all';
/** `approval` (oldest approval first, approved orders only) is the queue's order, not offered in the URL. */
export type Sort = 'newest' | 'oldest' | 'deadline' | 'approval';

export interface WorkspaceFilter {
  scope?: Scope;
  status?: OrderStatus[];
  channel?: Channel;
  /** An operator id, or `none` for orders nobody has. */
  operator?: string;
  overdue?: boolean;
  /** An order number (or its beginning) or the beginning of a customer name. */
  q?: string;
  sort?: Sort;
}

/** The statuses an order ends in (the contracts' terminal ones). */
export const ENDED_STATUSES: readonly OrderStatus[] = TERMINAL_STATUSES;

/** The statuses the MES knows, in the order people read them (from the contracts). */
export { MES_STATUSES };

/** Statuses in which an order is on an operator's hands (assigned, in work, completed, packing). */
export { ON_HAND_STATUSES };

export function isActiveStatus(status: OrderStatus): boolean {
  return !ENDED_STATUSES.includes(status);
}

export function isOverdue(order: Pick<WorkspaceOrder, 'dueAt' | 'status'>, now = Date.now()): boolean {
  return isActiveStatus(order.status) && Date.parse(order.dueAt) < now;
}

/** Whether an operator with skills `have` can make an order that needs `required`. */
export function canMake(have: readonly string[], required: readonly string[]): boolean {
  return required.every((skill) => have.includes(skill));
}

/** The part of a filter the hash query keeps (the operator comes from the picker, not the URL). */
export type UrlFilter = Omit<WorkspaceFilter, 'operator'>;

const SCOPES: readonly Scope[] = ['active', 'archive', 'all'];
const SORTS: readonly Sort[] = ['newest', 'oldest', 'deadline'];

export function filterFromQuery(query: URLSearchParams): UrlFilter {
  const f: UrlFilter = {};
  const scope = query.get('scope');
  if (SCOPES.includes(scope as Scope)) f.scope = scope as Scope;
  const statuses = (query.get('status') ?? '')
    .split(',')
    .filter((s): s is OrderStatus => MES_STATUSES.includes(s as OrderStatus));
  if (statuses.length) f.status = statuses;
  const channel = query.get('channel');
  if (channel === 'b2c' || channel === 'b2b') f.channel = channel;
  if (query.get('overdue') === '1') f.overdue = true;
  const q = query.get('q')?.trim();
  if (q) f.q = q.slice(0, 100);
  const sort = query.get('sort');
  if (SORTS.includes(sort as Sort)) f.sort = sort as Sort;
  return f;
}

export function filterToQuery(f: UrlFilter): URLSearchParams {
  const query = new URLSearchParams();
  if (f.scope && f.scope !== 'active') query.set('scope', f.scope);
  if (f.status?.length) query.set('status', f.status.join(','));
  if (f.channel) query.set('channel', f.channel);
  if (f.overdue) query.set('overdue', '1');
  if (f.q) query.set('q', f.q);
  if (f.sort && f.sort !== 'newest') query.set('sort', f.sort);
  return query;
}

/** A stable text for a filter: lists reload when it changes. */
export function filterKey(f: WorkspaceFilter): string {
  return JSON.stringify([f.scope, f.status, f.channel, f.operator, f.overdue, f.q, f.sort]);
}

// The server's search, mirrored (src/mes/workspace/query.ts): "s12" is the order number S-0000012
// or a number that begins S-12; anything else is the beginning of the customer's name.
const ORDER_NUMBER = /^[SP]-?\d{1,7}$/i;

function matchesSearch(order: WorkspaceOrder, text: string): boolean {
  const q = text.trim();
  if (ORDER_NUMBER.test(q)) {
    const series = q[0]!.toUpperCase();
    const digits = q.replace(/^[SP]-?/i, '');
    return (
      order.number === `${series}-${digits.padStart(7, '0')}` ||
      order.number.startsWith(`${series}-${digits}`)
    );
  }
  return (order.customerName ?? '').toLowerCase().startsWith(q.toLowerCase());
}

/** Whether the server would list this order for this filter. */
export function matchesFilter(order: WorkspaceOrder, f: WorkspaceFilter, now = Date.now()): boolean {
  const scope = f.scope ?? 'active';
  const active = isActiveStatus(order.status);
  if (scope === 'active' && !active) return false;
  if (scope === 'archive' && active) return false;
  if (f.status?.length && !f.status.includes(order.status)) return false;
  if (f.channel && order.channel !== f.channel) return false;
  if (f.operator === 'none' && order.operator !== null) return false;
  if (f.operator && f.operator !== 'none' && order.operator !== f.operator) return false;
  if (f.overdue && !isOverdue(order, now)) return false;
  if (f.q && !matchesSearch(order, f.q)) return false;
  if (f.sort === 'approval' && order.approvedAt === null) return false;
  return true;
}

type Compare = (a: WorkspaceOrder, b: WorkspaceOrder) => number;

// As PostgreSQL orders uuids (their bytes, i.e. the lowercase hex text), not by locale.
const compareIds = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byTime =
  (field: 'createdAt' | 'dueAt' | 'approvedAt', direction: 1 | -1): Compare =>
  (a, b) =>
    direction * (Date.parse(a[field] ?? '') - Date.parse(b[field] ?? '') || compareIds(a.id, b.id));

const SORT_ORDERS: Readonly<Record<Sort, Compare>> = {
  newest: byTime('createdAt', -1),
  oldest: byTime('createdAt', 1),
  deadline: byTime('dueAt', 1),
  approval: byTime('approvedAt', 1),
};

/** The order the server sorts by (its keyset: the time, then the id). */
export function compareFor(sort: Sort | undefined): Compare {
  return SORT_ORDERS[sort ?? 'newest'];
}
