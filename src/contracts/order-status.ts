/**
 * The one order state machine every service shares. Each service keeps its own copy of an
 * order, but every status it writes goes through `assertTransition`, and every status it learns
 * from another service goes through `isForward`, so copies can only move along this graph.
 */
import createError from '@fastify/error';

import { ORDER_STATUSES, TERMINAL_STATUSES, type OrderStatus } from './statuses.js';

export {
  LIFECYCLE,
  ON_HAND_STATUSES,
  ORDER_STATUSES,
  TERMINAL_STATUSES,
  type OrderStatus,
} from './statuses.js';

export type ServiceName = 'shop' | 'partner-api' | 'crm' | 'mes' | 'pricing' | 'tracker';

/** Where each service's API lives on its server: other services call them there. */
export const SERVICE_PREFIXES = {
  pricing: '/api/pricing',
  shop: '/api/shop',
  'partner-api': '/api/partner',
  crm: '/api/crm',
  mes: '/api/mes',
  tracker: '/api/tracker',
} as const satisfies Record<ServiceName, string>;

interface Transition {
  readonly to: OrderStatus;
  /** The services allowed to make this move (the owner of the step in ARCHITECTURE.md). */
  readonly by: readonly ServiceName[];
}

const TRANSITIONS: Readonly<Record<OrderStatus, readonly Transition[]>> = {
  INITIATED: [
    { to: 'FILE_UPLOADED', by: ['shop'] },
    { to: 'SUBMITTED', by: ['shop'] },
    { to: 'CANCELLED', by: ['shop'] },
  ],
  FILE_UPLOADED: [
    { to: 'SUBMITTED', by: ['shop'] },
    { to: 'CANCELLED', by: ['shop'] },
  ],
  // Once submitted, only the CRM cancels: it also decides approval, so a cancellation and an
  // approval can never cross. Once approved, production decides; nobody cancels.
  // The pricing service prices the model; a model that can never be priced is rejected by it,
  // while work that kept failing (a crashing or timed-out worker) parks the order in
  // PRICING_FAILED, in front of staff, until pricing is retried or the CRM ends the order.
  SUBMITTED: [
    { to: 'PRICE_CALCULATED', by: ['pricing'] },
    { to: 'PRICING_FAILED', by: ['pricing'] },
    { to: 'REJECTED', by: ['pricing', 'crm'] },
    { to: 'CANCELLED', by: ['crm'] },
  ],
  PRICING_FAILED: [
    { to: 'PRICE_CALCULATED', by: ['pricing'] },
    { to: 'REJECTED', by: ['pricing', 'crm'] },
    { to: 'CANCELLED', by: ['crm'] },
  ],
  PRICE_CALCULATED: [
    { to: 'MANUFACTURING_APPROVED', by: ['crm'] },
    { to: 'REJECTED', by: ['crm'] },
    { to: 'CANCELLED', by: ['crm'] },
  ],
  MANUFACTURING_APPROVED: [{ to: 'MANUFACTURING_STARTED', by: ['mes'] }],
  MANUFACTURING_STARTED: [{ to: 'MANUFACTURING_COMPLETED', by: ['mes'] }],
  MANUFACTURING_COMPLETED: [{ to: 'PACKAGING', by: ['mes'] }],
  PACKAGING: [{ to: 'SHIPPED', by: ['mes'] }],
  SHIPPED: [{ to: 'CLOSED', by: ['crm'] }],
  CLOSED: [],
  CANCELLED: [],
  REJECTED: [],
};

export const IllegalTransitionError = createError<
  'ORDER_ILLEGAL_TRANSITION',
  409,
  [string, string, string, string]
>('ORDER_ILLEGAL_TRANSITION', 'Order %s is %s and cannot move to %s. %s', 409);

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

export function nextStatuses(from: OrderStatus, by?: ServiceName): OrderStatus[] {
  return TRANSITIONS[from].filter((t) => by === undefined || t.by.includes(by)).map((t) => t.to);
}

export function canTransition(from: OrderStatus, to: OrderStatus, by?: ServiceName): boolean {
  return nextStatuses(from, by).includes(to);
}

/** Throws IllegalTransitionError (HTTP 409) unless `by` may move the order from `from` to `to`. */
export function assertTransition(orderId: string, from: OrderStatus, to: OrderStatus, by: ServiceName): void {
  if (canTransition(from, to, by)) return;
  const allowed = nextStatuses(from, by);
  const hint = TERMINAL_STATUSES.includes(from)
    ? `${from} is final.`
    : allowed.length > 0
      ? `From ${from} the ${by} service may only move it to ${allowed.join(', ')}.`
      : `The ${by} service does not own the next step from ${from}.`;
  throw new IllegalTransitionError(orderId, from, to, hint);
}

const reachableCache = new Map<OrderStatus, ReadonlySet<OrderStatus>>();

/** Every status reachable from `from` in one or more moves. */
export function reachableFrom(from: OrderStatus): ReadonlySet<OrderStatus> {
  let set = reachableCache.get(from);
  if (set) return set;
  const seen = new Set<OrderStatus>();
  const stack = nextStatuses(from);
  while (stack.length > 0) {
    const s = stack.pop() as OrderStatus;
    if (seen.has(s)) continue;
    seen.add(s);
    stack.push(...nextStatuses(s));
  }
  set = seen;
  reachableCache.set(from, set);
  return set;
}

/**
 * A follower (a service mirroring a status set elsewhere) applies a status only if it lies ahead
 * of the one it holds. Messages can arrive out of order after retries; this keeps every copy
 * moving forward along the graph and never backwards.
 */
export function isForward(current: OrderStatus, incoming: OrderStatus): boolean {
  return reachableFrom(current).has(incoming);
}

const predecessorCache = new Map<OrderStatus, readonly OrderStatus[]>();

/** Every status from which `to` lies ahead: where a follower may move its copy to `to`. */
export function predecessorsOf(to: OrderStatus): readonly OrderStatus[] {
  let list = predecessorCache.get(to);
  if (!list) {
    list = ORDER_STATUSES.filter((s) => isForward(s, to));
    predecessorCache.set(to, list);
  }
  return list;
}
