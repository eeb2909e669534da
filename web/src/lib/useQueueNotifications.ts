/**
 * Browser notifications (the Notification API) when an order this operator can make enters the
 * queue: approved, nobody's, and every skill it needs is one of theirs. Permission is asked only
 * on a click (browsers ignore or block a request made without one).
 */
import { useEffect, useRef } from 'react';
import type { Operator, WorkspaceEvent } from '../api/types';
import { canMake } from './workspaceFilter';
import { useWorkspaceStream } from './workspaceStream';

export type NotifyPermission = NotificationPermission | 'unsupported';

export function notifyPermission(): NotifyPermission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

/** Asks for permission (call it from a click handler). */
export async function askNotifyPermission(): Promise<NotifyPermission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

const inQueue = (status: string | null, operator: string | null) =>
  status === 'MANUFACTURING_APPROVED' && operator === null;

/** The event puts the order into the queue (approved now, or released back to it). */
export function entersQueue(event: WorkspaceEvent): boolean {
  return inQueue(event.status, event.operator) && !inQueue(event.previousStatus, event.previousOperator);
}

/** Notifies `me` of new queue entries they can make while `enabled`; a click focuses the order. */
export function useQueueNotifications(
  me: Operator | undefined,
  enabled: boolean,
  onOpen: (orderId: string) => void,
): void {
  const { subscribe } = useWorkspaceStream();
  const latest = useRef({ me, enabled, onOpen });
  useEffect(() => {
    latest.current = { me, enabled, onOpen };
  });
  useEffect(
    () =>
      subscribe((event) => {
        const { me: operator, enabled: on } = latest.current;
        if (!on || !operator || notifyPermission() !== 'granted') return;
        if (!entersQueue(event) || !canMake(operator.skills, event.order.requiredSkills)) return;
        const { order } = event;
        const notification = new Notification(`New order ${order.number} in the queue`, {
          body: `${order.kind === 'custom' ? 'Custom piece' : 'Catalog piece'} · ${order.alloy} × ${order.quantity} · needs ${order.requiredSkills.join(', ')}`,
          tag: `atelier-queue-${order.id}`,
        });
        notification.onclick = () => {
          window.focus();
          latest.current.onOpen(order.id);
          notification.close();
        };
      }),
    [subscribe],
  );
}
