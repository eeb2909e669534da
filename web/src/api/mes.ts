/** Production floor, `/api/mes`: the operator workspace, its live stream, operators and assignments. */
import { getJson, postJson, putJson, withQuery } from './http';
import type {
  AssignmentEntry,
  Operator,
  OperatorInput,
  Order,
  WorkspaceCounts,
  WorkspacePage,
} from './types';
import type { WorkspaceFilter } from '../lib/workspaceFilter';

const BASE = '/api/mes';
const orderUrl = (id: string) => `${BASE}/orders/${encodeURIComponent(id)}`;

/** The live stream (server-sent events `hello`, `added`, `changed`, `reset`). */
export function streamUrl(lastEventId?: number): string {
  return withQuery(`${BASE}/workspace/stream`, { lastEventId });
}

/** One page of the workspace list; `after` is the previous page's `nextCursor`. */
export function listWorkspace(
  filter: WorkspaceFilter,
  limit: number,
  after: string | undefined,
  signal?: AbortSignal,
): Promise<WorkspacePage> {
  const query = {
    scope: filter.scope,
    status: filter.status?.join(','),
    channel: filter.channel,
    operator: filter.operator,
    overdue: filter.overdue ? true : undefined,
    q: filter.q,
    sort: filter.sort,
    limit,
    after,
  };
  return getJson<WorkspacePage>(withQuery(`${BASE}/workspace/orders`, query), signal);
}

export function getCounts(signal?: AbortSignal): Promise<WorkspaceCounts> {
  return getJson<WorkspaceCounts>(`${BASE}/workspace/counts`, signal);
}

export function claimNext(operator: string) {
  return postJson<Order>(`${BASE}/queue/claim-next`, { operator });
}

export function claimOrder(id: string, operator: string) {
  return postJson<Order>(`${orderUrl(id)}/claim`, { operator });
}

export function advanceOrder(id: string, operator: string) {
  return postJson<Order>(`${orderUrl(id)}/advance`, { operator });
}

/** One production order with its price breakdown, history and, for custom pieces, `modelUrl`. */
export function getProductionOrder(id: string, signal?: AbortSignal) {
  return getJson<Order>(orderUrl(id), signal);
}

export async function listOperators(signal?: AbortSignal): Promise<Operator[]> {
  return (await getJson<{ items: Operator[] }>(`${BASE}/operators`, signal)).items;
}

// Administrator endpoints: the token is the platform's ADMIN_TOKEN.

const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export function putOperator(token: string, id: string, input: OperatorInput) {
  return putJson<Operator>(`${BASE}/operators/${encodeURIComponent(id)}`, input, bearer(token));
}

/** Gives an order to an operator, or moves it from another one. */
export function assignOrder(token: string, id: string, operator: string, reason?: string) {
  return postJson<{ orderId: string; operator: string }>(
    `${orderUrl(id)}/assign`,
    { operator, ...(reason ? { reason } : {}) },
    bearer(token),
  );
}

/** Takes an assigned, not yet started order back into the queue. */
export function releaseOrder(token: string, id: string, reason?: string) {
  return postJson<{ orderId: string }>(`${orderUrl(id)}/release`, reason ? { reason } : {}, bearer(token));
}

/** Runs the automatic assigner now. */
export function runAssigner(token: string) {
  return postJson<{ assigned: { orderId: string; number: string; operator: string }[] }>(
    `${BASE}/assignments/run`,
    {},
    bearer(token),
  );
}

/** The assignment audit trail, newest first; `before` is an entry id for older ones. */
export async function listAssignments(
  before: number | undefined,
  limit: number,
  signal?: AbortSignal,
): Promise<AssignmentEntry[]> {
  const url = withQuery(`${BASE}/assignments`, { before, limit });
  return (await getJson<{ items: AssignmentEntry[] }>(url, signal)).items;
}
