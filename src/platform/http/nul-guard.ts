import type { FastifyInstance } from 'fastify';
import { NulCharacterError } from './errors.js';

/**
 * Refuses a JSON body or query string that holds a NUL character anywhere, before validation
 * and before any handler runs. PostgreSQL cannot store NUL in text or jsonb: without this, such
 * a request would reach the database and fail there as a 500, with a message that helps nobody.
 * Walking the parsed body costs about a microsecond for an order; a string is searched in native
 * code, so a large one (a model in base64) costs little more.
 */
export function refuseNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (req) => {
    // A body that is not an object or array is not JSON the routes take: a model sent as text
    // (binary STL holds zero bytes) must still get the upload route's 415, not this.
    const body = typeof req.body === 'object' ? nulPath(req.body, 'body') : undefined;
    const where = body ?? nulPath(req.query, 'querystring');
    if (where) throw new NulCharacterError(where);
  });
}

/** The path of the first string (or object key) holding a NUL, or undefined. */
export function nulPath(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return value.includes('\0') ? path : undefined;
  // Deeper than any body we accept: such a body fails its schema anyway.
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], `${path}[${i}]`, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  // Only what JSON and query strings parse to: never raw model bytes (a Buffer) or a stream.
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || isStream(value)) return undefined;
  for (const [key, v] of Object.entries(value)) {
    if (key.includes('\0')) return `${path} (a key)`;
    const found = nulPath(v, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

function isStream(value: object): boolean {
  return typeof (value as { pipe?: unknown }).pipe === 'function';
}
