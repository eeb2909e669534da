import type { Envelope } from '../../contracts/envelope.js';

/** One message handed to a consumer, with the three ways it can end. */
export interface Delivery {
  /** The raw message body, parsed as JSON but not yet checked against the contracts. */
  readonly body: unknown;
  /** How many times handling has failed before (0 on the first delivery). */
  readonly attempt: number;
  /** True when the broker says it delivered this message before (for example after a crash). */
  readonly redelivered: boolean;
  ack(): Promise<void>;
  /** Hands the message back to be delivered again after `delayMs`, without blocking others. */
  retry(delayMs: number): Promise<void>;
}

export interface SubscribeOptions {
  /** The consumer's name: one durable queue per consumer, shared by all its instances. */
  consumer: string;
  /** Topic patterns over routing keys (see routingKey): `order.#`, `order.shipped.v1.*`, `order.*.v1.b2c`. */
  patterns: readonly string[];
  /** How many messages one instance handles at once. */
  prefetch: number;
  onMessage(delivery: Delivery): Promise<void>;
  /**
   * A message the broker itself gave up on (delivery limit), for the dead-letter store: every
   * envelope it carried (one, or a batch message's), to be recorded together or not at all.
   */
  onDeadLetter?(bodies: readonly unknown[], reason: string): Promise<void>;
}

export interface Subscription {
  /** Stops taking new messages; resolves when the ones in flight are done. */
  stop(): Promise<void>;
}

export interface Transport {
  readonly kind: 'amqp' | 'embedded';
  /** Resolves once the broker has durably accepted every message (publisher confirms). */
  publish(messages: readonly Envelope[]): Promise<void>;
  subscribe(opts: SubscribeOptions): Promise<Subscription>;
  /** Puts a message straight on one consumer's queue (dead-letter replay). */
  sendToConsumer(consumer: string, message: Envelope): Promise<void>;
  close(): Promise<void>;
}

/**
 * The routing key of a message: its type and the order's channel, e.g.
 * `order.price_calculated.v1.b2c`. Services that only care about one channel (the shop about
 * b2c, the partner API about b2b) bind to it, so the broker never hands them the others.
 */
export function routingKey(m: Envelope): string {
  const channel = (m.payload as { channel?: unknown } | null)?.channel;
  return `${m.type}.${typeof channel === 'string' ? channel : 'none'}`;
}

/** RabbitMQ topic semantics: `*` is one word, `#` is zero or more words. */
export function topicMatches(pattern: string, routingKey: string): boolean {
  const p = pattern.split('.');
  const k = routingKey.split('.');
  const match = (i: number, j: number): boolean => {
    if (i === p.length) return j === k.length;
    if (p[i] === '#') return match(i + 1, j) || (j < k.length && match(i, j + 1));
    if (j === k.length) return false;
    return (p[i] === '*' || p[i] === k[j]) && match(i + 1, j + 1);
  };
  return match(0, 0);
}
