import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';

/**
 * Takes the response over from Fastify for a server-sent-events stream: the headers that keep
 * proxies from buffering or caching it, and a comment line now and then so a quiet stream is
 * not closed as idle. `stop()` ends the keep-alive (call it when the stream ends).
 */
export function openEventStream(
  reply: FastifyReply,
  keepAliveMs = 15_000,
): { res: ServerResponse; stop(): void } {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), keepAliveMs);
  return { res, stop: () => clearInterval(keepAlive) };
}
