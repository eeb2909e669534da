import type { Span } from '@opentelemetry/api';
import type { FastifyInstance } from 'fastify';
import { tagOrderOnActiveSpans } from './order-id-processor.js';

/**
 * A request on one order (`/orders/:id/...`, `/jobs/:orderId`) tags its spans with the order id
 * before its handler runs, so every span under it carries `order.id`. (Requests that find their
 * order mid-way, such as creating one or taking the next from the queue, are tagged when they
 * record its status change.)
 */
export function registerOrderTagging(app: FastifyInstance): void {
  app.addHook('preHandler', async (req) => {
    const params = req.params as Record<string, unknown> | undefined;
    const id = params?.orderId ?? (req.routeOptions.url?.includes('/orders/:id') ? params?.id : undefined);
    if (typeof id !== 'string') return;
    // The request span of @fastify/otel (a decorator, so called as a method), when tracing is on.
    const traced = req as { opentelemetry?: () => { span: Span | null } };
    tagOrderOnActiveSpans(
      id,
      typeof traced.opentelemetry === 'function' ? traced.opentelemetry().span : null,
    );
  });
}
