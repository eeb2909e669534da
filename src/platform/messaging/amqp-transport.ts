import amqp from 'amqplib';
import type { Channel, ChannelModel, ConfirmChannel, ConsumeMessage, Options } from 'amqplib';
import type { Logger } from 'pino';
import { AckWindow } from './ack-window.js';
import { coalesceConnectionWrites } from '../coalesced-writes.js';
import type { Envelope } from '../../contracts/envelope.js';
import {
  routingKey,
  type Delivery,
  type SubscribeOptions,
  type Subscription,
  type Transport,
} from './transport.js';

export interface AmqpOptions {
  url: string;
  logger: Logger;
  /** Delayed-retry tiers in ms: one queue per tier so a long delay never holds back a short one. */
  retryTiersMs?: readonly number[];
  /** RabbitMQ gives a message up after this many unacknowledged deliveries (crash loops). */
  deliveryLimit?: number;
  /** Prefix of every exchange and queue name, so several platforms can share one broker. */
  namespace?: string;
  /** Envelopes of one routing key published together go as one message (default true; see publish). */
  batchMessages?: boolean;
}

/** The names of every exchange and queue, under one namespace. */
export function amqpNames(ns = 'atelier') {
  return {
    events: `${ns}.events`,
    deadLetters: `${ns}.dlx`,
    queue: (consumer: string) => `${ns}.${consumer}`,
    retryQueue: (consumer: string, ms: number) => `${ns}.${consumer}.retry.${ms}ms`,
    deadQueue: (consumer: string) => `${ns}.${consumer}.dead`,
  };
}
export type AmqpNames = ReturnType<typeof amqpNames>;

/**
 * RabbitMQ transport: a durable topic exchange, one quorum queue per consumer (its instances
 * compete on it), publisher confirms, manual acks, TTL retry queues that dead-letter back to the
 * main queue, and a dead-letter exchange for messages the broker gives up on. Reconnects with
 * backoff after the broker goes away and re-creates every subscription.
 */
export class AmqpTransport implements Transport {
  readonly kind = 'amqp';
  private conn?: ChannelModel;
  private pub?: ConfirmChannel;
  private connecting?: Promise<void>;
  private closed = false;
  private readonly subs = new Set<LiveSubscription>();
  private readonly tiers: readonly number[];
  readonly names: AmqpNames;

  constructor(private readonly opts: AmqpOptions) {
    this.names = amqpNames(opts.namespace);
    this.tiers = [...(opts.retryTiersMs ?? [250, 1000, 5000, 15000])].sort((a, b) => a - b);
  }

  async start(): Promise<void> {
    await this.ensureConnected();
  }

  private ensureConnected(): Promise<void> {
    if (this.pub) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async connect(): Promise<void> {
    // Nagle's algorithm is on in amqplib by default: small frames (publishes, acks) then wait
    // for the peer's delayed ACK, adding tens of milliseconds to every hop.
    const conn = await amqp.connect(this.opts.url, { noDelay: true });
    // A publish is three frames and amqplib writes each on its own: a tick's frames leave in one
    // write instead (see coalesced-writes.ts).
    coalesceConnectionWrites(conn);
    try {
      conn.on('error', (err) => this.opts.logger.warn({ err }, 'RabbitMQ connection error'));
      conn.on('close', () => this.onConnectionLost(conn));
      const pub = await conn.createConfirmChannel();
      pub.on('error', (err) => this.opts.logger.warn({ err }, 'RabbitMQ publish channel error'));
      await pub.assertExchange(this.names.events, 'topic', { durable: true });
      await pub.assertExchange(this.names.deadLetters, 'direct', { durable: true });
      this.conn = conn;
      for (const s of this.subs) await s.attach(conn);
      // Only now is the transport "connected": every subscription consumes again.
      this.pub = pub;
    } catch (err) {
      this.conn = undefined;
      await conn.close().catch(() => undefined);
      throw err;
    }
  }

  /** A consumer channel closed while the connection lives (channel error, broker cancel): re-attach. */
  reattach(sub: LiveSubscription): void {
    const retry = (delay: number) => {
      setTimeout(() => {
        if (this.closed || !this.subs.has(sub) || sub.attached) return;
        const conn = this.conn;
        if (!conn) return; // the reconnect after a lost connection attaches it
        sub.attach(conn).catch((err: unknown) => {
          this.opts.logger.warn({ err }, 'could not re-attach a RabbitMQ consumer; retrying');
          retry(Math.min(delay * 2, 10_000));
        });
      }, delay).unref();
    };
    retry(200);
  }

  private onConnectionLost(conn: ChannelModel): void {
    if (this.conn !== conn) return;
    this.conn = undefined;
    this.pub = undefined;
    if (this.closed) return;
    this.opts.logger.warn('RabbitMQ connection lost; reconnecting');
    const retry = async (delay: number): Promise<void> => {
      if (this.closed) return;
      try {
        await this.ensureConnected();
        this.opts.logger.info('RabbitMQ reconnected');
      } catch {
        setTimeout(() => void retry(Math.min(delay * 2, 10_000)), delay).unref();
      }
    };
    setTimeout(() => void retry(200), 100).unref();
  }

  private async channel(): Promise<ConfirmChannel> {
    await this.ensureConnected();
    if (!this.pub) throw new Error('RabbitMQ is not connected');
    return this.pub;
  }

  /**
   * Publishes with confirms. Envelopes of one routing key go out as one AMQP message holding
   * them all (a JSON array, header `x-batch`), up to MAX_PER_MESSAGE: the broker's cost is per
   * message (routing, each queue's Raft log entry, delivery, ack), and so is a consumer's, so a
   * relay batch of twenty order.submitted events costs the broker and each consumer one message
   * instead of twenty. The subscriber hands each envelope on as its own delivery (see
   * LiveSubscription.onMessage); a retried one travels alone.
   */
  async publish(messages: readonly Envelope[]): Promise<void> {
    if (messages.length === 0) return;
    const ch = await this.channel();
    const groups = this.opts.batchMessages === false ? messages.map((m) => [m]) : byRoutingKey(messages);
    for (const group of groups) {
      const first = group[0] as Envelope;
      const batch = group.length > 1;
      const props = publishProps(first, 0);
      // A batch's envelopes carry their own traceparents; the message's headers only say it is one.
      if (batch) props.headers = { 'x-attempt': 0, 'x-batch': group.length };
      ch.publish(
        this.names.events,
        routingKey(first),
        Buffer.from(JSON.stringify(batch ? group : first)),
        props,
      );
    }
    await ch.waitForConfirms();
  }

  async sendToConsumer(consumer: string, message: Envelope): Promise<void> {
    const ch = await this.channel();
    ch.sendToQueue(
      this.names.queue(consumer),
      Buffer.from(JSON.stringify(message)),
      publishProps(message, 0),
    );
    await ch.waitForConfirms();
  }

  /**
   * Re-queues one failed message, alone (taken out of its batch message if it came in one), on
   * the shortest retry tier at least `delayMs` long.
   */
  async retryLater(consumer: string, body: unknown, attempt: number, delayMs: number): Promise<void> {
    const tier = this.tiers.find((t) => t >= delayMs) ?? (this.tiers.at(-1) as number);
    const ch = await this.channel();
    // A consumer retries only what it has checked to be an envelope: the same properties as
    // when it was first published, with the attempt counted on.
    ch.sendToQueue(
      this.names.retryQueue(consumer, tier),
      Buffer.from(JSON.stringify(body)),
      publishProps(body as Envelope, attempt),
    );
    await ch.waitForConfirms();
  }

  async subscribe(opts: SubscribeOptions): Promise<Subscription> {
    const sub = new LiveSubscription(
      this,
      opts,
      this.tiers,
      this.opts.deliveryLimit ?? 20,
      this.opts.logger,
      this.names,
    );
    this.subs.add(sub);
    await this.ensureConnected();
    if (this.conn && !sub.attached) await sub.attach(this.conn);
    return {
      stop: async () => {
        this.subs.delete(sub);
        await sub.stop();
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const s of [...this.subs]) await s.stop();
    await this.conn?.close().catch(() => undefined);
  }

  /**
   * Drops the connection at once without draining, as a crash would: RabbitMQ puts every
   * unacknowledged message back on its queue. Used by tests and fault injection.
   */
  async abort(): Promise<void> {
    this.closed = true;
    this.subs.clear();
    const conn = this.conn;
    this.conn = undefined;
    this.pub = undefined;
    await conn?.close().catch(() => undefined);
  }
}

function publishProps(m: Envelope, attempt: number): Options.Publish {
  return {
    persistent: true,
    messageId: m.id,
    type: m.type,
    contentType: 'application/json',
    timestamp: Math.floor(Date.parse(m.occurredAt) / 1000),
    headers: {
      'x-attempt': attempt,
      ...(m.traceparent ? { traceparent: m.traceparent } : {}),
    },
  };
}

export class LiveSubscription {
  private ch?: Channel;
  private acks?: AckWindow<ConsumeMessage>;
  private tags: string[] = [];
  private inFlight = 0;
  private idle: (() => void)[] = [];
  private stopping = false;
  attached = false;

  constructor(
    private readonly transport: AmqpTransport,
    private readonly opts: SubscribeOptions,
    private readonly tiers: readonly number[],
    private readonly deliveryLimit: number,
    private readonly logger: Logger,
    private readonly names: AmqpNames,
  ) {}

  async attach(conn: ChannelModel): Promise<void> {
    if (this.stopping) return;
    const { consumer } = this.opts;
    const ch = await conn.createChannel();
    const acks = new AckWindow<ConsumeMessage>(ch, (err) =>
      this.logger.warn({ err, consumer }, 'RabbitMQ refused an ack; the message will come again'),
    );
    ch.on('error', (err) => this.logger.warn({ err, consumer }, 'RabbitMQ consumer channel error'));
    ch.on('close', () => {
      acks.close();
      // Their AMQP messages go back to the queue with the channel: they will come again.
      this.waiting = [];
      if (this.ch === ch) {
        this.ch = undefined;
        this.attached = false;
        if (!this.stopping) this.transport.reattach(this);
      }
    });
    await ch.prefetch(this.opts.prefetch);
    const n = this.names;
    const main = n.queue(consumer);
    await ch.assertQueue(main, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-dead-letter-exchange': n.deadLetters,
        'x-dead-letter-routing-key': consumer,
        'x-delivery-limit': this.deliveryLimit,
      },
    });
    for (const p of this.opts.patterns) await ch.bindQueue(main, n.events, p);
    for (const t of this.tiers) {
      await ch.assertQueue(n.retryQueue(consumer, t), {
        durable: true,
        arguments: { 'x-message-ttl': t, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': main },
      });
    }
    await ch.assertQueue(n.deadQueue(consumer), { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(n.deadQueue(consumer), n.deadLetters, consumer);

    this.ch = ch;
    this.acks = acks;
    this.attached = true;
    // A null message is the broker cancelling the consumer (queue deleted, failover): re-attach.
    const mainTag = await ch.consume(main, (msg) =>
      msg ? this.onMessage(acks, msg) : void ch.close().catch(() => undefined),
    );
    this.tags = [mainTag.consumerTag];
    if (this.opts.onDeadLetter) {
      const deadTag = await ch.consume(n.deadQueue(consumer), (msg) => msg && this.onDead(acks, msg));
      this.tags.push(deadTag.consumerTag);
    }
  }

  private track<T>(p: Promise<T>): void {
    this.inFlight++;
    void p
      .catch((err: unknown) =>
        this.logger.error({ err, consumer: this.opts.consumer }, 'message settlement failed'),
      )
      .finally(() => {
        this.inFlight--;
        if (this.inFlight === 0) for (const f of this.idle.splice(0)) f();
      });
  }

  /**
   * Envelopes handed to the consumer and not settled yet, and the ones waiting for room. The
   * broker's prefetch counts AMQP messages, and a batch message holds many envelopes: without
   * this, one instance could take on prefetch × 64 of them at once (pricing's prefetch is what
   * bounds the models it holds in memory), and competing instances would sit idle meanwhile.
   */
  private handed = 0;
  private waiting: Delivery[] = [];

  private hand(d: Delivery): void {
    this.waiting.push(d);
    this.handOn();
  }

  private handOn(): void {
    // Once stopping, what waits is left unacknowledged: the broker delivers it again.
    while (!this.stopping && this.handed < this.opts.prefetch && this.waiting.length > 0) {
      const d = this.waiting.shift() as Delivery;
      this.handed++;
      this.track(
        this.opts.onMessage(d).finally(() => {
          this.handed--;
          this.handOn();
        }),
      );
    }
  }

  /**
   * One delivery per envelope: a batch message (see AmqpTransport.publish) is acked once every
   * envelope in it is settled, handled or sent to a retry queue on its own. A consumer that dies
   * before that gets the whole batch again, and its inbox makes the envelopes it handled no-ops.
   */
  private onMessage(acks: AckWindow<ConsumeMessage>, msg: ConsumeMessage): void {
    const attempt = Number(msg.properties.headers?.['x-attempt'] ?? 0);
    const settle = acks.add(msg);
    const bodies = bodiesOf(msg);
    let open = bodies.length;
    if (open === 0) return settle.ack();
    for (const body of bodies) {
      let settled = false;
      const done = () => {
        settled = true;
        if (--open === 0) settle.ack();
      };
      const delivery: Delivery = {
        body,
        attempt,
        redelivered: msg.fields.redelivered,
        ack: async () => {
          if (!settled) done();
        },
        retry: async (delayMs) => {
          if (settled) return;
          await this.transport.retryLater(this.opts.consumer, body, attempt + 1, delayMs);
          if (!settled) done();
        },
      };
      this.hand(delivery);
    }
  }

  /** Every envelope of a message the broker gave up on goes to the dead-letter store. */
  private onDead(acks: AckWindow<ConsumeMessage>, msg: ConsumeMessage): void {
    const reason = String(msg.properties.headers?.['x-first-death-reason'] ?? 'rejected by the broker');
    const handler = this.opts.onDeadLetter;
    if (!handler) return;
    const settle = acks.add(msg);
    this.track(
      handler(bodiesOf(msg), `RabbitMQ dead-lettered it (${reason})`).then(
        () => settle.ack(),
        (err: unknown) => {
          settle.nack(true);
          throw err;
        },
      ),
    );
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const ch = this.ch;
    if (ch) for (const t of this.tags) await ch.cancel(t).catch(() => undefined);
    if (this.inFlight > 0) await new Promise<void>((r) => this.idle.push(r));
    // The last settlements go out before the channel closes, or their messages would come again.
    this.acks?.flush();
    await ch?.close().catch(() => undefined);
  }
}

/** Envelopes per AMQP message at most: what one redelivery or broker dead-lettering moves. */
const MAX_PER_MESSAGE = 64;

/**
 * The envelopes in groups of one routing key, at most MAX_PER_MESSAGE each, to be published in
 * the returned order. One order's envelopes keep their order: an envelope never joins a group
 * before the one that holds its order's previous envelope (it starts a new group instead), so a
 * consumer still sees an order's events as they were committed (an order's cancellation never
 * overtakes its submission).
 */
export function byRoutingKey(messages: readonly Envelope[]): Envelope[][] {
  const out: Envelope[][] = [];
  /** Routing key → index of its group still open for more. */
  const open = new Map<string, number>();
  /** Order id → index of the group holding its latest envelope. */
  const latest = new Map<string, number>();
  for (const m of messages) {
    const key = routingKey(m);
    let i = open.get(key);
    if (i === undefined || (out[i]?.length ?? 0) >= MAX_PER_MESSAGE || i < (latest.get(m.orderId) ?? -1)) {
      i = out.length;
      out.push([]);
      open.set(key, i);
    }
    out[i]?.push(m);
    latest.set(m.orderId, i);
  }
  return out;
}

/** The messages an AMQP message carries: the envelopes of a batch message, else its one body. */
function bodiesOf(msg: ConsumeMessage): unknown[] {
  const body = parseBody(msg.content);
  return msg.properties.headers?.['x-batch'] !== undefined && Array.isArray(body) ? body : [body];
}

function parseBody(content: Buffer): unknown {
  try {
    return JSON.parse(content.toString('utf8'));
  } catch {
    return { unparseable: content.toString('utf8', 0, Math.min(content.length, 2000)) };
  }
}
