import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from './errors.js';

// RFC 7235: the auth scheme is case-insensitive ("bearer", "BEARER"), and one or more spaces
// separate it from the credentials.
const BEARER = /^bearer +(.*)$/i;

/** The key or token a request carries: `Authorization: Bearer <key>` or `X-Api-Key: <key>`. */
export function bearerToken(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  const m = h === undefined ? null : BEARER.exec(h);
  const token = m?.[1]?.trim();
  if (token) return token;
  const k = req.headers['x-api-key'];
  return typeof k === 'string' && k.trim() ? k.trim() : undefined;
}

/** Constant-time check of a shared bearer token (administrator, carrier). */
export function requireToken(req: FastifyRequest, expected: string, who: string): void {
  const sent = bearerToken(req);
  // A request with no token at all is told so: "wrong token" would send them hunting for
  // another token when the header is what is missing.
  if (sent === undefined) throw new UnauthorizedError(missingTokenMessage(req, who));
  const got = Buffer.from(sent);
  const want = Buffer.from(expected);
  if (got.length !== want.length || !timingSafeEqual(got, want)) {
    throw new UnauthorizedError(
      `This endpoint is for the ${who} and the token sent is not the ${who}'s: send Authorization: Bearer <${who} token>.`,
    );
  }
}

function missingTokenMessage(req: FastifyRequest, who: string): string {
  const how = `send it as Authorization: Bearer <${who} token>`;
  const h = req.headers.authorization?.trim();
  if (!h) return `This endpoint is for the ${who} and no token was sent: ${how}.`;
  // The header is not echoed: without a scheme its first word may be the secret itself.
  if (/^bearer$/i.test(h))
    return `This endpoint is for the ${who} and the Authorization header has no token after Bearer: ${how}.`;
  return `This endpoint is for the ${who} and takes a bearer token, but the Authorization header does not use the Bearer scheme: ${how}.`;
}
