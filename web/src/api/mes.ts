/** Production floor, `/api/mes`. */
import { getJson, postJson, withQuery } from './http';
import type { Order, Page } from './types';

const BASE = '/api/mes';
const orderUrl = (id: string) => `${BASE}/orders/${encodeURIComponent(id)}`;

/** Approved orders waiting for an operator, oldest first. */
export async function listQueue(signal?: AbortSignal): Promise<Order[]> {
  return (await getJson<Page<Order>>(withQuery(`${BASE}/queue`, { limit: 50 }), signal)).items;
}

export function claimNext(operator: string) {
  return postJson<Order>(`${BASE}/queue/claim-next`, { operator });
}

export async function listOperatorOrders(operator: string, signal?: AbortSignal): Promise<Order[]> {
  return (await getJson<Page<Order>>(withQuery(`${BASE}/orders`, { operator, limit: 50 }), signal)).items;
}

export function claimOrder(id: string, operator: string) {
  return postJson<Order>(`${orderUrl(id)}/claim`, { operator });
}

export function advanceOrder(id: string, operator: string) {
  return postJson<Order>(`${orderUrl(id)}/advance`, { operator });
}

/** One production order with its price breakdown and, for custom pieces, `modelUrl`. */
export function getProductionOrder(id: string, signal?: AbortSignal) {
  return getJson<Order>(orderUrl(id), signal);
}
