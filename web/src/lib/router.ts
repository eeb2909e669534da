/**
 * Routing by `location.hash`: #/ shop, #/track/<orderId>, #/crm, #/mes (the operator workspace),
 * #/mes/admin (its administrator view), #/ops (operations) and #/ops/orders/<id> (a journey). A query after the path (`#/mes?status=PACKAGING`)
 * keeps a page's filters, so a reload or a shared link shows the same list.
 */
import { useSyncExternalStore } from 'react';

export type MesView = 'workspace' | 'admin';

export type Route =
  | { page: 'shop' }
  | { page: 'track'; orderId: string | null }
  | { page: 'crm' }
  | { page: 'mes'; view: MesView; query: string }
  | { page: 'ops'; orderId: string | null }
  | { page: 'not-found'; path: string };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function splitHash(hash: string): { path: string; query: string } {
  const text = hash.replace(/^#/, '');
  const at = text.indexOf('?');
  return at < 0
    ? { path: text || '/', query: '' }
    : { path: text.slice(0, at) || '/', query: text.slice(at + 1) };
}

export function parseHash(hash: string): Route {
  const { path, query } = splitHash(hash);
  const [first = '', second, ...rest] = path.split('/').filter(Boolean);
  if (first === '' || first === 'shop') return { page: 'shop' };
  if (first === 'track' && rest.length === 0)
    return { page: 'track', orderId: second ? decode(second) : null };
  if (first === 'crm' && second === undefined) return { page: 'crm' };
  if (first === 'mes' && rest.length === 0 && (second === undefined || second === 'admin'))
    return { page: 'mes', view: second ? 'admin' : 'workspace', query };
  if (first === 'ops' && second === undefined) return { page: 'ops', orderId: null };
  if (first === 'ops' && second === 'orders' && rest.length === 1)
    return { page: 'ops', orderId: decode(rest[0] as string) };
  return { page: 'not-found', path };
}

export function journeyHash(orderId: string): string {
  return `#/ops/orders/${encodeURIComponent(orderId)}`;
}

export function trackHash(orderId: string): string {
  return `#/track/${encodeURIComponent(orderId)}`;
}

export function navigate(hash: string): void {
  window.location.hash = hash;
}

/** Said when replaceHashQuery changes the hash (replaceState fires no hashchange). */
const QUERY_CHANGED = 'atelier:hash-query';

/**
 * Replaces the hash's query without a new history entry (typing into a search field should not
 * fill the back button's history).
 */
export function replaceHashQuery(query: URLSearchParams): void {
  const { path } = splitHash(window.location.hash);
  const text = query.toString();
  const hash = `#${path}${text ? `?${text}` : ''}`;
  if (hash === window.location.hash) return;
  window.history.replaceState(window.history.state, '', hash);
  window.dispatchEvent(new Event(QUERY_CHANGED));
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  window.addEventListener(QUERY_CHANGED, onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    window.removeEventListener(QUERY_CHANGED, onChange);
  };
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseHash(hash);
}
