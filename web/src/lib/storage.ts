/** Values remembered in localStorage (names and e-mail addresses typed into the pages). */
import { useEffect, useState } from 'react';

export const STORAGE_KEYS = {
  customerName: 'atelier.customer.name',
  customerEmail: 'atelier.customer.email',
  seller: 'atelier.seller',
  operator: 'atelier.operator',
  lastOrderId: 'atelier.lastOrderId',
} as const;

export function readStored(key: string): string {
  try {
    return window.localStorage.getItem(key) ?? '';
  } catch {
    return ''; // storage disabled (private mode, sandboxed frame)
  }
}

export function writeStored(key: string, value: string): void {
  try {
    if (value) window.localStorage.setItem(key, value);
    else window.localStorage.removeItem(key);
  } catch {
    // storage disabled: the value just is not remembered
  }
}

/** A string state that survives reloads. */
export function useStoredState(key: string): [string, (value: string) => void] {
  const [value, setValue] = useState(() => readStored(key));
  useEffect(() => writeStored(key, value), [key, value]);
  return [value, setValue];
}
