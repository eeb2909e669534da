/** Customer-facing shop service, `/api/shop`. */
import { getJson, postJson, putBinary, withQuery } from './http';
import type { Alloy, CatalogItem, Customer, Order, Page } from './types';

const BASE = '/api/shop';
const orderUrl = (id: string) => `${BASE}/orders/${encodeURIComponent(id)}`;

export async function getCatalog(signal?: AbortSignal): Promise<CatalogItem[]> {
  return (await getJson<{ items: CatalogItem[] }>(`${BASE}/catalog`, signal)).items;
}

export async function getAlloys(signal?: AbortSignal): Promise<Alloy[]> {
  return (await getJson<{ items: Alloy[] }>(`${BASE}/alloys`, signal)).items;
}

export function createCatalogOrder(input: { catalogSku: string; quantity?: number; customer: Customer }) {
  return postJson<Order>(`${BASE}/orders`, { kind: 'catalog', ...input });
}

export function createCustomOrder(input: { alloy: string; quantity?: number; customer: Customer }) {
  return postJson<Order>(`${BASE}/orders`, { kind: 'custom', ...input });
}

export function uploadModel(id: string, file: Blob, onProgress: (fraction: number) => void) {
  return putBinary<Order>(`${orderUrl(id)}/model`, file, onProgress);
}

export function submitOrder(id: string) {
  return postJson<Order>(`${orderUrl(id)}/submit`);
}

export function getOrder(id: string, signal?: AbortSignal) {
  return getJson<Order>(orderUrl(id), signal);
}

export async function listOrdersByEmail(email: string, signal?: AbortSignal): Promise<Order[]> {
  return (await getJson<Page<Order>>(withQuery(`${BASE}/orders`, { email, limit: 50 }), signal)).items;
}

/** Orders a custom piece at the price of a quote, submitted at once (SUBMITTED). */
export function orderFromQuote(input: { quoteId: string; customer: Customer }) {
  return postJson<Order>(`${BASE}/orders`, { kind: 'custom', submit: true, ...input });
}
