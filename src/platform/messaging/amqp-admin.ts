import amqp from 'amqplib';
import { amqpNames } from './amqp-transport.js';

/**
 * Removes a whole messaging namespace from RabbitMQ: each consumer's main, retry and dead queues
 * and the two exchanges. For throwaway platforms (tests, benchmarks) that share one broker.
 */
export async function deleteNamespace(
  url: string,
  namespace: string,
  consumers: readonly string[],
  retryTiersMs: readonly number[],
): Promise<void> {
  const n = amqpNames(namespace);
  const conn = await amqp.connect(url);
  try {
    const ch = await conn.createChannel();
    for (const c of consumers) {
      for (const q of [n.queue(c), n.deadQueue(c), ...retryTiersMs.map((t) => n.retryQueue(c, t))]) {
        await ch.deleteQueue(q);
      }
    }
    await ch.deleteExchange(n.events);
    await ch.deleteExchange(n.deadLetters);
  } finally {
    await conn.close().catch(() => undefined);
  }
}
