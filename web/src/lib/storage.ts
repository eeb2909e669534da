/** Values remembered in localStorage (names, e-mail addresses and choices made in the pages). */
import { useEffect, useState } from 'react';

export const STORAGE_KEYS = {
  customerName: 'atelier.customer.name',
  customerEmail: 'atelier.customer.email',
  seller: 'atelier.seller',
  /** The MES operator's id, chosen from the registered operators. */
  operator: 'atelier.operator',
  /** '1' when the operator wants browser notifications of new queue entries. */
  notifyQueue: 'atelier.mes.notify',
  /** The administrator token typed into the MES administrator view. */
  adminToken: 'atelier.mes.adminToken',
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
