import type { Logger } from 'pino';
import type { Envelope } from '../../contracts/envelope.js';
import type { EventType } from '../../contracts/events.js';
import type { Db, Queryable } from '../db/types.js';
import { checkEnvelope } from './envelope.js';
import { recordDeadLetter } from './dead-letters.js';
import type { Delivery, Subscription, Transport } from './transport.js';

/** Handles one event inside the inbox transaction: its writes commit with the inbox row or not at all. */
export type Handler = (event: Envelope, q: Queryable) => Promise<void>;

/** A handler throws this when the message is fine but arrived before something it needs. */
export class NotYetError extends Error {
  override readonly name = 'NotYetError';
}

export interface ConsumerOptions {
  db: Db;
  transport: Transport;
  logger: Logger;
  consumer: string;
  handlers: Partial<Record<EventType, Handler>>;
  maxAttempts?: number;
  /** Delay before retry n (the last one repeats). */
  retryDelaysMs?: readonly number[];
  prefetch?: number;
  /** Fault injection: called before each handler, may throw. */
  beforeHandle?: (event: Envelope) => void;
}

export type Outcome = 'handled' | 'duplicate' | 'retry' | 'dead-lettered' | 'ignored';

/**
 * The inbox side of exactly-once effects: the (consumer, message id) row and the handler's
 * writes commit in one transaction, so a redelivered message finds its row and does nothing.
 * Failures are retried with backoff off the main queue; after `maxAttempts` the message moves
 * to the dead-letter store, where it can be listed and replayed.
 */
export class InboxConsumer {
  private sub?: Subscription;
  readonly counts: Record<Outcome, number> = {
    handled: 0,
    duplicate: 0,
    retry: 0,
    'dead-lettered': 0,
    ignored: 0,
  };

  constructor(private readonly o: ConsumerOptions) {}

  get patterns(): EventType[] {
    return Object.keys(this.o.handlers) as EventType[];
  }

  async start(): Promise<void> {
    this.sub = await this.o.transport.subscribe({
      consumer: this.o.consumer,
      patterns: this.patterns,
      prefetch: this.o.prefetch ?? 16,
      onMessage: (d) => this.onDelivery(d).then(() => undefined),
      onDeadLetter: (body, reason) => recordDeadLetter(this.o.db, this.o.consumer, body, reason, 0),
    });
  }

  async onDelivery(d: Delivery): Promise<Outcome> {
    const outcome = await this.handle(d);
    this.counts[outcome]++;
    return outcome;
  }

  private async handle(d: Delivery): Promise<Outcome> {
    const { db, consumer, logger } = this.o;
    let env: Envelope;
    try {
      env = checkEnvelope(d.body);
    } catch (err) {
      // A message that breaks the contract will never succeed: straight to the dead-letter store.
      await recordDeadLetter(db, consumer, d.body, (err as Error).message, d.attempt + 1);
      await d.ack();
      logger.error({ err, consumer }, 'invalid message dead-lettered');
      return 'dead-lettered';
    }
    const handler = this.o.handlers[env.type as EventType];
    if (!handler) {
      await d.ack();
      return 'ignored';
    }
    try {
      const fresh = await db.tx(async (q) => {
        const ins = await q.query(
          `INSERT INTO inbox (consumer, message_id, type, order_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (consumer, message_id) DO NOTHING`,
          [consumer, env.id, env.type, env.orderId],
        );
        if (ins.rowCount === 0) return false;
        this.o.beforeHandle?.(env);
        await handler(env, q);
        return true;
      });
      await d.ack();
      return fresh ? 'handled' : 'duplicate';
    } catch (err) {
      const attempts = d.attempt + 1;
      const max = this.o.maxAttempts ?? 5;
      const log = { err, consumer, messageId: env.id, type: env.type, orderId: env.orderId, attempts };
      if (attempts >= max) {
        await recordDeadLetter(db, consumer, env, (err as Error).message, attempts);
        await d.ack();
        logger.error(log, 'message dead-lettered after bounded retries');
        return 'dead-lettered';
      }
      const delays = this.o.retryDelaysMs ?? [250, 1000, 5000, 15000];
      const delay = delays[Math.min(d.attempt, delays.length - 1)] ?? 1000;
      (err instanceof NotYetError ? logger.info.bind(logger) : logger.warn.bind(logger))(
        { ...log, retryInMs: delay },
        'message handling failed; will retry',
      );
      await d.retry(delay);
      return 'retry';
    }
  }

  async stop(): Promise<void> {
    await this.sub?.stop();
  }
}
