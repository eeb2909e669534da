import type { FastifyInstance, FastifyRequest } from 'fastify';
import { httpDuration, httpRequests } from './metrics.js';

const PARTNER = Symbol('atelier.partner');

/** The partner a request was authenticated as: its id becomes the `partner` label. */
export function markPartner(req: FastifyRequest, partnerId: string): void {
  (req as unknown as Record<symbol, unknown>)[PARTNER] = partnerId;
}

/**
 * RED metrics for one service's routes: rate and errors by status code, duration by route.
 * `channel` is the service's: b2c for the shop, b2b for the partner API, internal for the staff
 * and machine APIs. Routes are their templates (`/orders/:id`), and a request no route matched
 * counts as `unmatched`, so a scan of random URLs cannot create series.
 */
export function registerHttpMetrics(
  app: FastifyInstance,
  labels: { service: string; channel: 'b2c' | 'b2b' | 'internal' },
): void {
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? 'unmatched';
    if (route.endsWith('/stream')) return; // a live stream's "duration" is how long it was open
    const partner = (req as unknown as Record<symbol, unknown>)[PARTNER];
    const common = {
      service: labels.service,
      method: req.method,
      route,
      channel: labels.channel,
      partner: typeof partner === 'string' ? partner : '',
    };
    httpRequests.inc({ ...common, status_code: String(reply.statusCode) });
    httpDuration.observe(common, reply.elapsedTime / 1000);
  });
}
