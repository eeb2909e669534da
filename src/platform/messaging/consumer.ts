import type { Logger } from 'pino';
import type { Envelope } from '../../contracts/envelope.js';
import type { EventType } from '../../contracts/events.js';
import type { Db, Queryable } from '../db/types.js';
import { together } from '../db/together.js';
import { checkEnvelope } from './envelope.js';
import { recordDeadLetter, recordDeadLetters } from './dead-letters.js';
import { InjectedFaultError, type Faults } from './faults.js';
import type { Delivery, Subscription, Transport } from './transport.js';
import { ROOT_CONTEXT, context, type Context, type Span } from '@opentelemetry/api';
import { messageRedeliveries, messagesConsumed } from '../telemetry/metrics.js';
import { endSpan } from '../telemetry/trace-context.js';
import { messagingSystem, startBatchSpan, startProcessSpan } from '../telemetry/messaging-spans.js';

/** Handles one event inside the inbox transaction: its writes commit with the inbox row or not at all. */
export type Handler = (event: Envelope, q: Queryable) => Promise<void>;

/**
 * A handler with slow work that needs no database (reading a file, heavy computing): `prepare`
 * runs before the inbox transaction opens, so no lock or connection is held meanwhile, and its
 * result is handed to `handle` inside the transaction. It may run for a duplicate too.
 */
export interface PreparedHandler<T> {
  prepare(event: Envelope): Promise<T>;
  handle(event: Envelope, q: Queryable, prepared: T): Promise<void>;
}

export type AnyHandler = Handler | PreparedHandler<unknown>;

/** A handler throws this when the message is fine but arrived before something it needs. */
export class NotYetError extends Error {
  override readonly name = 'NotYetError';
}

export interface ConsumerOptions {
  db: Db;
  transport: Transport;
  logger: Logger;
  consumer: string;
  handlers: Partial<Record<EventType, AnyHandler>>;
  maxAttempts?: number;
  /** Delay before retry n (the last one repeats). */
  retryDelaysMs?: readonly number[];
  prefetch?: number;
  /** Only events of this channel are delivered (default: every channel). */
  channel?: 'b2c' | 'b2b';
  /** Fault injection switches, read on every message (default: none). */
  faults?: Faults;
  /**
   * Types whose handlers touch rows shared by many orders (a queue handed out to operators):
   * in a batch, each runs alone, after the messages before it and before the ones after it.
   * Every other handler must only touch its own order's rows.
   */
  serialTypes?: readonly EventType[];
  /**
   * Longest wait for more messages to join a batch (default 0): see InboxConsumer.pump. The
   * wait is counted from the oldest waiting message and ends as soon as no more can come.
   */
  lingerMs?: number;
}

export type Outcome = 'handled' | 'duplicate' | 'retry' | 'dead-lettered' | 'ignored' | 'dropped';

interface Pending {
  d: Delivery;
  env: Envelope;
  handler: AnyHandler;
  prepared?: unknown;
  /** The message's `process` span and the context its handler runs in. */
  span: Span;
  ctx: Context;
  /** Why the last handling failed, for the span of a message that is retried or dead-lettered. */
  error?: unknown;
  /** When the message joined the queue of the next batch (performance.now()). */
  queuedAt: number;
  resolve(outcome: Outcome): void;
}

/** The copies the duplicate-delivery fault made (they are not copied again). */
const injectedCopies = new WeakSet<Delivery>();

/** Messages per transaction at most, and transactions in flight per consumer instance. */
const MAX_BATCH = 32;
const MAX_CONCURRENT_BATCHES = 2;

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
    dropped: 0,
  };

  /** See ConsumerOptions.serialTypes. */
  private readonly serial: ReadonlySet<string>;

  constructor(private readonly o: ConsumerOptions) {
    this.serial = new Set(o.serialTypes ?? []);
  }

  /** The consumer's name: its queue, its inbox rows, its service. */
  get name(): string {
    return this.o.consumer;
  }

  /** One binding per handled type, narrowed to the consumer's channel when it has one. */
  get patterns(): string[] {
    return Object.keys(this.o.handlers).map((type) => `${type}.${this.o.channel ?? '*'}`);
  }

  async start(): Promise<void> {
    this.stopping = false;
    this.sub = await this.o.transport.subscribe({
      consumer: this.o.consumer,
      patterns: this.patterns,
      prefetch: this.o.prefetch ?? 16,
      onMessage: (d) => this.onDelivery(d).then(() => undefined),
      onDeadLetter: (bodies, reason) => recordDeadLetters(this.o.db, this.o.consumer, bodies, reason, 0),
    });
  }

  async onDelivery(d: Delivery): Promise<Outcome> {
    const outcome = await this.route(d);
    this.counts[outcome]++;
    return outcome;
  }

  /** Counts a settled message; the type is 'invalid' for one that broke the contract. */
  private count(type: string, outcome: Outcome, d: Delivery): void {
    const labels = { consumer: this.o.consumer, type };
    messagesConsumed.inc({ ...labels, outcome });
    if (d.attempt > 0 || d.redelivered) messageRedeliveries.inc(labels);
  }

  /** Checks the contract, then queues the message for the next batch. */
  private async route(d: Delivery): Promise<Outcome> {
    const { db, consumer, logger } = this.o;
    let env: Envelope;
    try {
      env = checkEnvelope(d.body);
    } catch (err) {
      // A message that breaks the contract will never succeed: straight to the dead-letter store.
      await recordDeadLetter(db, consumer, d.body, (err as Error).message, d.attempt + 1);
      await d.ack();
      logger.error({ err, consumer }, 'invalid message dead-lettered');
      this.count('invalid', 'dead-lettered', d);
      return 'dead-lettered';
    }
    const handler = this.o.handlers[env.type as EventType];
    if (!handler) {
      await d.ack();
      this.count(env.type, 'ignored', d);
      return 'ignored';
    }
    if (this.o.faults?.dropEventType === env.type) {
      await d.ack();
      logger.warn(
        { consumer, messageId: env.id, type: env.type, orderId: env.orderId },
        'fault injection: message dropped',
      );
      this.count(env.type, 'dropped', d);
      return 'dropped';
    }
    if (this.o.faults?.duplicateEventType === env.type && !injectedCopies.has(d)) {
      // A second copy, as a broker redelivering the message would hand it over: the inbox must
      // make it a no-op. The copy's settlement goes nowhere; the original's is the real one.
      const copy: Delivery = { ...d, redelivered: true, ack: async () => {}, retry: async () => {} };
      injectedCopies.add(copy);
      void this.onDelivery(copy);
    }
    const { span, ctx } = startProcessSpan(env, consumer, d.attempt, messagingSystem(this.o.transport));
    return new Promise<Outcome>((resolve) => {
      const item: Pending = {
        d,
        env,
        handler,
        span,
        ctx,
        queuedAt: performance.now(),
        resolve: (outcome) => {
          span.setAttribute('atelier.outcome', outcome);
          endSpan(
            span,
            outcome === 'retry' || outcome === 'dead-lettered' ? (item.error ?? outcome) : undefined,
          );
          this.count(env.type, outcome, d);
          resolve(outcome);
        },
      };
      this.pending.push(item);
      this.pump();
    });
  }

  private readonly pending: Pending[] = [];
  private activeBatches = 0;
  /** Messages in the batches now running: with the pending ones, what counts against the prefetch. */
  private inBatches = 0;
  private lingerTimer?: NodeJS.Timeout;
  private stopping = false;

  /**
   * Messages that arrive while a batch is in its transaction wait and go together in the next
   * one: under load one BEGIN/COMMIT (and one WAL flush) serves many messages.
   *
   * Below saturation messages come one by one, and a batch of one costs nearly what a batch of
   * many does: its transaction, its round trips, the broker's ack and the wake-ups of every
   * process on the way. So a batch that is not full waits up to `lingerMs` (as a Kafka
   * producer's linger.ms) from its oldest message for others to join. It stops waiting as soon
   * as it is full, or when the prefetch limit means the broker sends nothing more until some
   * are settled. With the relay's linger, at the default 40 ms it cut the pipeline's CPU per
   * order by 22–31% at 25–75 orders/s (`npm run bench:linger`, bench/results/linger.md).
   */
  private pump(): void {
    const linger = this.o.lingerMs ?? 0;
    while (this.activeBatches < MAX_CONCURRENT_BATCHES && this.pending.length > 0) {
      const room = Math.min(MAX_BATCH, (this.o.prefetch ?? 16) - this.inBatches);
      // Once stopping, nothing more will come: what is pending goes at once.
      const waitMs = this.stopping ? 0 : (this.pending[0]?.queuedAt ?? 0) + linger - performance.now();
      if (this.pending.length < room && waitMs > 0) {
        this.lingerTimer ??= setTimeout(() => {
          this.lingerTimer = undefined;
          this.pump();
        }, waitMs);
        return;
      }
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
      this.activeBatches++;
      const batch = this.pending.splice(0, MAX_BATCH);
      this.inBatches += batch.length;
      // A batch belongs to no one delivery: started from the context of the delivery that
      // happened to call pump(), its work for the other messages would join that one's trace.
      void context
        .with(ROOT_CONTEXT, () => this.runBatch(batch))
        .finally(() => {
          this.activeBatches--;
          this.inBatches -= batch.length;
          this.pump();
        });
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    if (batch.length > 1) {
      // One lock order for every batch (by order id), so two batches cannot deadlock.
      batch.sort((x, y) => (x.env.orderId < y.env.orderId ? -1 : x.env.orderId > y.env.orderId ? 1 : 0));
      try {
        await Promise.all(batch.map((item) => this.prepare(item)));
        const b = startBatchSpan(
          this.o.consumer,
          batch.map((item) => item.span),
        );
        const fresh = await context
          .with(b.ctx, () => this.o.db.tx((q) => this.apply(q, batch)))
          .finally(() => b.span.end());
        await Promise.all(
          batch.map((item, i) =>
            context.with(item.ctx, async () => {
              await item.d.ack();
              item.resolve(fresh[i] ? 'handled' : 'duplicate');
            }),
          ),
        );
        return;
      } catch {
        // Something in the batch failed and it all rolled back: handle each message alone, so
        // only the failing one is retried and the others are not held back.
      }
    }
    for (const item of batch) {
      // Each message settles in its own context: a retry or dead letter joins its trace.
      const outcome = await context
        .with(item.ctx, () => this.handleAlone(item))
        .catch((err: unknown) => {
          // Not even a retry or a dead letter could be recorded (broker or database gone): the
          // message stays unacknowledged and the broker delivers it again when the channel drops.
          this.o.logger.error(
            { err, consumer: this.o.consumer, messageId: item.env.id },
            'could not settle a message',
          );
          return 'retry' as const;
        });
      item.resolve(outcome);
    }
  }

  private async prepare(item: Pending): Promise<void> {
    const { handler } = item;
    const faults = this.o.faults;
    if (faults?.slowEventType === item.env.type && faults.slowMs > 0)
      await new Promise((resolve) => setTimeout(resolve, faults.slowMs));
    if (typeof handler !== 'function' && !('prepared' in item)) {
      item.prepared = await context.with(item.ctx, () => handler.prepare(item.env));
    }
  }

  /**
   * Inbox rows and effects, inside the caller's transaction: for each message, whether it was
   * new (handled now) or seen before (nothing done).
   */
  private async apply(q: Queryable, items: readonly Pending[]): Promise<boolean[]> {
    const unseen = await this.claimAll(q, items);
    // A message delivered twice within one batch is handled once: the first copy.
    const fresh = items.map((item) => unseen.delete(item.env.id.toLowerCase()));
    await this.handleAll(
      q,
      items.filter((_, i) => fresh[i]),
    );
    return fresh;
  }

  /**
   * The batch's handlers, one order's messages in delivery order, different orders side by side.
   * On a pipelined connection the statements of every order in a round go out together, so a
   * batch costs about as many round trips as one message needs, not that times the batch size:
   * round trips, not statements, are most of the CPU a short statement costs on both sides.
   * Messages of a serial type run alone, where they stand (see ConsumerOptions.serialTypes).
   */
  private async handleAll(q: Queryable, items: readonly Pending[]): Promise<void> {
    if (this.o.db.engine !== 'pg') {
      // PGlite is one connection that runs one statement at a time: nothing to overlap.
      for (const item of items) await this.handle(q, item);
      return;
    }
    let run: Pending[] = [];
    for (const item of items) {
      if (!this.serial.has(item.env.type)) {
        run.push(item);
        continue;
      }
      await this.handleSideBySide(q, run);
      run = [];
      await this.handle(q, item);
    }
    await this.handleSideBySide(q, run);
  }

  private async handleSideBySide(q: Queryable, items: readonly Pending[]): Promise<void> {
    const byOrder = new Map<string, Pending[]>();
    for (const item of items) {
      const list = byOrder.get(item.env.orderId);
      if (list) list.push(item);
      else byOrder.set(item.env.orderId, [item]);
    }
    // together waits for every handler to stop issuing statements before a failure rolls the
    // transaction back and its connection goes back to the pool.
    await together(
      ...[...byOrder.values()].map(async (list) => {
        for (const item of list) await this.handle(q, item);
      }),
    );
  }

  /**
   * The inbox rows of a whole batch in one statement (one round trip instead of one per
   * message); returns the ids not seen before. Rows go in by message id, one order for every
   * batch, so two batches holding the same redelivered messages cannot deadlock on them.
   */
  private async claimAll(q: Queryable, batch: readonly Pending[]): Promise<Set<string>> {
    const envs = batch.map((item) => item.env).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const ins = await q.query<{ message_id: string }>(
      `INSERT INTO inbox (consumer, message_id, type, order_id)
       SELECT $1, m.id, m.type, m.order_id
       FROM unnest($2::uuid[], $3::text[], $4::uuid[]) WITH ORDINALITY AS m(id, type, order_id, n)
       ORDER BY m.n
       ON CONFLICT (consumer, message_id) DO NOTHING
       RETURNING message_id`,
      [this.o.consumer, envs.map((e) => e.id), envs.map((e) => e.type), envs.map((e) => e.orderId)],
    );
    // PostgreSQL prints a uuid in lower case whatever case it was sent in.
    return new Set(ins.rows.map((r) => r.message_id.toLowerCase()));
  }

  /** The handler runs in its message's context: its queries and outbox rows join that trace. */
  private async handle(q: Queryable, { env, handler, prepared, ctx }: Pending): Promise<void> {
    if (this.o.faults?.failEventType === env.type)
      throw new InjectedFaultError(`fault injection: ${this.o.consumer} fails every ${env.type}`);
    if (typeof handler === 'function') await context.with(ctx, () => handler(env, q));
    else await context.with(ctx, () => handler.handle(env, q, prepared));
  }

  /** One message in a transaction of its own; the caller runs it in the message's context. */
  private async handleAlone(item: Pending): Promise<Outcome> {
    const { db } = this.o;
    const { d } = item;
    let fresh: boolean;
    try {
      await this.prepare(item);
      fresh = (await db.tx((q) => this.apply(q, [item])))[0] === true;
    } catch (err) {
      item.error = err;
      return this.failed(item, err);
    }
    // Acknowledged after the commit, outside the failure path: if the ack is lost the message
    // comes again and the inbox row makes it a no-op, never a retry of work already done.
    await d.ack();
    return fresh ? 'handled' : 'duplicate';
  }

  /** A handling that failed: retry later with backoff, or dead-letter after the last attempt. */
  private async failed({ d, env }: Pending, err: unknown): Promise<Outcome> {
    const { db, consumer, logger } = this.o;
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

  async stop(): Promise<void> {
    this.stopping = true;
    this.pump();
    await this.sub?.stop();
  }
}
