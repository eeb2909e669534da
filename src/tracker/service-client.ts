import { SERVICE_PREFIXES, type ServiceName } from '../contracts/order-status.js';
import type { DeadLetter } from '../platform/messaging/dead-letters.js';
import type { KnownOrder } from '../platform/orders/reconciliation.js';

/** The services the tracker watches: every one but itself. */
export const WATCHED: readonly ServiceName[] = ['shop', 'partner-api', 'pricing', 'crm', 'mes'];

/** A dead letter as a service lists it (the envelope is left with the service). */
export type DeadLetterSeen = Omit<DeadLetter, 'envelope' | 'handled'>;

/**
 * The tracker's calls to another service's operations API, with the administrator token. A
 * service that does not answer throws an error naming it, so the caller can say which is down.
 */
export class ServiceClient {
  constructor(
    private readonly baseUrl: (name: ServiceName) => string,
    private readonly adminToken: string,
  ) {}

  private async call<T>(
    service: ServiceName,
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<T> {
    const url = `${this.baseUrl(service)}${SERVICE_PREFIXES[service]}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: {
          authorization: `Bearer ${this.adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new Error(`${service} did not answer ${method} ${url}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    const answer = (await res.json().catch(() => ({}))) as T & { message?: string };
    if (!res.ok)
      throw new Error(`${service} answered ${res.status} to ${method} ${url}: ${answer.message ?? ''}`);
    return answer;
  }

  /** Every order the service handled a message for or moved, since `since` (all pages). */
  async knownOrders(
    service: ServiceName,
    since: Date,
    orderIds?: readonly string[],
  ): Promise<{ consumes: string[]; orders: KnownOrder[] }> {
    const orders: KnownOrder[] = [];
    let consumes: string[];
    let after: string | undefined;
    do {
      const qs = new URLSearchParams({ since: since.toISOString(), limit: '5000' });
      if (after) qs.set('after', after);
      for (const id of orderIds ?? []) qs.append('orderId', id);
      const page = await this.call<{ consumes: string[]; orders: KnownOrder[]; next?: string }>(
        service,
        'GET',
        `/reconciliation/orders?${qs}`,
      );
      consumes = page.consumes;
      orders.push(...page.orders);
      after = page.next;
    } while (after);
    return { consumes, orders };
  }

  /** Dead letters whose message has not been handled yet, replayed or not. */
  async unhandledDeadLetters(service: ServiceName): Promise<DeadLetterSeen[]> {
    const r = await this.call<{ items: DeadLetterSeen[] }>(
      service,
      'GET',
      '/dead-letters?unhandled=true&limit=500',
    );
    return r.items;
  }

  async replayDeadLetter(service: ServiceName, id: string): Promise<void> {
    await this.call(service, 'POST', `/dead-letters/${id}/replay`);
  }

  /** Has the publisher deliver an event once more to the one consumer that lost it. */
  async redeliver(publisher: ServiceName, messageId: string, consumer: string): Promise<void> {
    await this.call(publisher, 'POST', `/outbox/${messageId}/redeliver`, { consumer });
  }
}
