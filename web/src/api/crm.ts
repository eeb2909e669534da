/** Seller back office, `/api/crm`. */
import { getJson, postJson, withQuery } from './http';
import type { Order, Page } from './types';

const BASE = '/api/crm';
const orderUrl = (id: string) => `${BASE}/orders/${encodeURIComponent(id)}`;

export async function listAwaitingApproval(signal?: AbortSignal): Promise<Order[]> {
  const url = withQuery(`${BASE}/orders`, { awaitingApproval: true, limit: 50 });
  return (await getJson<Page<Order>>(url, signal)).items;
}

export async function listOrders(signal?: AbortSignal): Promise<Order[]> {
  return (await getJson<Page<Order>>(withQuery(`${BASE}/orders`, { limit: 50 }), signal)).items;
}

export function approveOrder(id: string, seller: string) {
  return postJson<Order>(`${orderUrl(id)}/approve`, { seller });
}

export function rejectOrder(id: string, seller: string, reason: string) {
  return postJson<Order>(`${orderUrl(id)}/reject`, { seller, reason });
}

/** Cancels a submitted order the customer no longer wants (before manufacturing approval). */
export function cancelOrder(id: string, seller: string, reason: string) {
  return postJson<Order>(`${orderUrl(id)}/cancel`, { seller, reason });
}

export function closeOrder(id: string, seller: string) {
  return postJson<Order>(`${orderUrl(id)}/close`, { seller });
}
