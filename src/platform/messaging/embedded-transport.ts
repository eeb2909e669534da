import { EventEmitter } from 'node:events';
import type { Envelope } from '../../contracts/envelope.js';
import type { Logger } from 'pino';
import type { Db } from '../db/types.js';
import {
  routingKey,
  topicMatches,
  type Delivery,
  type SubscribeOptions,
  type Subscription,
  type Transport,
} from './transport.js';

/**
 * The single-process broker: durable because every message and every pending delivery is a row
 * in its own database (PGlite on disk in embedded mode), so nothing published is lost across a
 * restart. Semantics follow the RabbitMQ transport: topic bindings per consumer, competing
 * instances, leases instead of unacked-in-memory, delayed retries that never block the queue.
 */
export class EmbeddedTransport implements Transport {
  readonly kind = 'embedded';
  private readonly wake = new EventEmitter();
  private acked = 0;

  constructor(
    private readonly db: Db,
    private readonly opts: {
      leaseMs?: number;
      pollMs?: number;
      maxRedeliveries?: number;
      logger?: Logger;
    } = {},
  ) {
    this.wake.setMaxListeners(0);
  }

  async start(): Promise<void> {
    // Nothing to load: bindings are read in each publish, where other processes' count too.
  }

  async publish(messages: readonly Envelope[]): Promise<void> {
    if (messages.length === 0) return;
    const touched = new Set<string>();
    await this.db.tx(async (q) => {
      // Read in the transaction: a consumer another process bound a moment ago gets its copy.
      const bindings = (await q.query<{ consumer: string; pattern: string }>('SELECT * FROM broker_bindings'))
        .rows;
      for (const m of messages) {
        const consumers = [
          ...new Set(bindings.filter((b) => topicMatches(b.pattern, routingKey(m))).map((b) => b.consumer)),
        ];
        const inserted = await q.query(
          'INSERT INTO broker_messages (id, type, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
          [m.id, m.type, JSON.stringify(m)],
        );
        if (inserted.rowCount === 0) continue; // already published (a relay retry): deliver once
        for (const c of consumers) {
          await q.query('INSERT INTO broker_deliveries (consumer, message_id) VALUES ($1, $2)', [c, m.id]);
          touched.add(c);
        }
      }
    });
    for (const c of touched) this.wake.emit(c);
  }

  async sendToConsumer(consumer: string, message: Envelope): Promise<void> {
    await this.db.tx(async (q) => {
      await q.query(
        'INSERT INTO broker_messages (id, type, body) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING',
        [message.id, message.type, JSON.stringify(message)],
      );
      await q.query(
        // A delivery still pending for this consumer already covers it: leave its lease alone.
        `INSERT INTO broker_deliveries (consumer, message_id) VALUES ($1, $2)
         ON CONFLICT (consumer, message_id) DO NOTHING`,
        [consumer, message.id],
      );
    });
    this.wake.emit(consumer);
  }

  async subscribe(opts: SubscribeOptions): Promise<Subscription> {
    for (const pattern of opts.patterns) {
      await this.db.query('INSERT INTO broker_bindings VALUES ($1, $2) ON CONFLICT DO NOTHING', [
        opts.consumer,
        pattern,
      ]);
    }
    const leaseMs = this.opts.leaseMs ?? 30_000;
    const pollMs = this.opts.pollMs ?? 200;
    const maxRedeliveries = this.opts.maxRedeliveries ?? 20;
    let running = true;
    let inFlight = 0;
    let pending: (() => void) | undefined;
    const nudge = () => pending?.();
    this.wake.on(opts.consumer, nudge);
    const idle = new Set<() => void>();

    const settle = async (seq: number, sql: string, params: unknown[]) => {
      await this.db.query(sql, [seq, ...params]);
    };

    const loop = async () => {
      while (running) {
        try {
          await pass();
        } catch (err) {
          // The broker database went away for a moment: keep consuming once it is back.
          this.opts.logger?.warn({ err, consumer: opts.consumer }, 'embedded broker poll failed; retrying');
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    };
    const pass = async () => {
      {
        const room = opts.prefetch - inFlight;
        const rows =
          room > 0
            ? (
                await this.db.query<{ seq: number; attempt: number; delivered_count: number; body: unknown }>(
                  `UPDATE broker_deliveries d SET leased_until = now() + $3 * interval '1 millisecond',
                          delivered_count = delivered_count + 1
                   FROM broker_messages m
                   WHERE m.id = d.message_id AND d.seq IN (
                     SELECT seq FROM broker_deliveries
                     WHERE consumer = $1 AND available_at <= now() AND (leased_until IS NULL OR leased_until < now())
                     ORDER BY available_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED)
                   RETURNING d.seq, d.attempt, d.delivered_count, m.body`,
                  [opts.consumer, room, leaseMs],
                )
              ).rows
            : [];
        for (const row of rows) {
          // A message whose handler keeps crashing the process is given up, as RabbitMQ's
          // delivery limit does on a quorum queue.
          if (row.delivered_count > maxRedeliveries && opts.onDeadLetter) {
            await opts.onDeadLetter(
              [row.body],
              `delivered ${row.delivered_count - 1} times without an acknowledgement`,
            );
            await settle(row.seq, 'DELETE FROM broker_deliveries WHERE seq = $1', []);
            continue;
          }
          inFlight++;
          const delivery: Delivery = {
            body: row.body,
            attempt: row.attempt,
            redelivered: row.delivered_count > 1 + row.attempt,
            ack: async () => {
              await settle(row.seq, 'DELETE FROM broker_deliveries WHERE seq = $1', []);
              if (++this.acked % 1000 === 0) await this.prune();
            },
            retry: (delayMs) =>
              settle(
                row.seq,
                `UPDATE broker_deliveries SET attempt = attempt + 1, leased_until = NULL,
                   available_at = now() + $2 * interval '1 millisecond' WHERE seq = $1`,
                [delayMs],
              ),
          };
          void opts
            .onMessage(delivery)
            .catch(() => undefined) // the consumer settles its own failures; a lease expiry covers the rest
            .finally(() => {
              inFlight--;
              nudge();
              if (inFlight === 0) for (const f of idle) f();
            });
        }
        if (rows.length === 0 || inFlight >= opts.prefetch) {
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, pollMs);
            pending = () => {
              clearTimeout(t);
              resolve();
            };
          });
          pending = undefined;
        }
      }
    };
    const done = loop();
    return {
      stop: async () => {
        running = false;
        this.wake.off(opts.consumer, nudge);
        nudge();
        await done;
        if (inFlight > 0) await new Promise<void>((r) => idle.add(r));
      },
    };
  }

  /** Deletes messages every consumer has acknowledged, so the broker database does not grow. */
  private async prune(): Promise<void> {
    await this.db.query(
      `DELETE FROM broker_messages m WHERE published_at < now() - interval '5 minutes'
         AND NOT EXISTS (SELECT 1 FROM broker_deliveries d WHERE d.message_id = m.id)`,
    );
  }

  async close(): Promise<void> {
    this.wake.removeAllListeners();
  }
}
