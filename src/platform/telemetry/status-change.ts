import type { Logger } from 'pino';
import type { OrderStatus } from '../../contracts/order-status.js';
import { orderStageDuration, orderTransitions, ordersCreated } from './metrics.js';

export interface StatusChange {
  service: string;
  orderId: string;
  from: OrderStatus | null;
  to: OrderStatus;
  actor: string;
  channel: string;
  partnerId?: string;
  /** When the order entered `from`, as this service recorded it (null when unknown). */
  since: Date | null;
  at: Date;
}

const loggers = new Map<string, Logger>();

/** The logger a service's status changes are written to (set when the service starts). */
export function setStatusLogger(service: string, logger: Logger): void {
  loggers.set(service, logger);
}

/**
 * A committed status change: one INFO line (old and new status, actor, time spent in the old
 * status) and the pipeline metrics. Called after the commit, so a rolled-back change is never
 * reported. The actor is a role and a name or id (`seller:…`, `partner:…`, `rule:…`), never an
 * e-mail address.
 */
export function statusChanged(c: StatusChange): void {
  const elapsedMs = c.since ? Math.max(0, c.at.getTime() - c.since.getTime()) : null;
  const channel = c.channel;
  orderTransitions.inc({ service: c.service, status: c.to, channel });
  if (c.from === null) ordersCreated.inc({ service: c.service, channel, partner: c.partnerId ?? '' });
  else if (elapsedMs !== null)
    orderStageDuration.observe({ service: c.service, stage: c.from, channel }, elapsedMs / 1000);
  loggers.get(c.service)?.info(
    {
      event: 'order.status_changed',
      orderId: c.orderId,
      oldStatus: c.from,
      newStatus: c.to,
      actor: c.actor,
      channel,
      elapsedMs,
    },
    `order ${c.from ?? '(new)'} → ${c.to}`,
  );
}
