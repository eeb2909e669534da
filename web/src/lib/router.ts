/** Routing by `location.hash`: #/ shop, #/track/<orderId>, #/crm, #/mes. */
import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'shop' }
  | { page: 'track'; orderId: string | null }
  | { page: 'crm' }
  | { page: 'mes' }
  | { page: 'not-found'; path: string };

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseHash(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const [first = '', second, ...rest] = path.split('/').filter(Boolean);
  if (first === '' || first === 'shop') return { page: 'shop' };
  if (first === 'track' && rest.length === 0)
    return { page: 'track', orderId: second ? decode(second) : null };
  if (first === 'crm' && second === undefined) return { page: 'crm' };
  if (first === 'mes' && second === undefined) return { page: 'mes' };
  return { page: 'not-found', path };
}

export function trackHash(orderId: string): string {
  return `#/track/${encodeURIComponent(orderId)}`;
}

export function navigate(hash: string): void {
  window.location.hash = hash;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useHashRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseHash(hash);
}
