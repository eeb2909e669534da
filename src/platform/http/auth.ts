import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from './errors.js';

export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (h?.startsWith('Bearer ')) return h.slice(7).trim();
  const k = req.headers['x-api-key'];
  return typeof k === 'string' ? k : undefined;
}

/** Constant-time check of a shared bearer token (administrator, carrier). */
export function requireToken(req: FastifyRequest, expected: string, who: string): void {
  const got = Buffer.from(bearerToken(req) ?? '');
  const want = Buffer.from(expected);
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new UnauthorizedError(
      `This endpoint is for the ${who}: send Authorization: Bearer <${who} token>.`,
    );
  }
}
