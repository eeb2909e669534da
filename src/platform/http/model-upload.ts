/**
 * Raw 3D-model uploads (STL or OBJ bytes, not JSON): the content types routes accept, the
 * parser that hands them over as a Buffer under the route's own size limit, and the check that
 * a body really is file bytes.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { UnsupportedMediaTypeError } from './errors.js';

export const MODEL_TYPES = [
  'model/stl',
  'application/octet-stream',
  'application/sla',
  'model/x.stl-binary',
  'model/x.stl-ascii',
  'model/obj',
];

/** Registers the parser in the caller's plugin scope only. */
export function acceptModelUploads(app: FastifyInstance, maxBytes: number): void {
  app.addContentTypeParser(MODEL_TYPES, { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) =>
    done(null, body),
  );
}

/**
 * The uploaded bytes. No body at all arrives as undefined (an empty file); JSON or text bodies
 * were parsed by the server-wide parsers and are not file bytes.
 */
export function uploadedBytes(req: FastifyRequest): Buffer {
  if (req.body !== undefined && !Buffer.isBuffer(req.body)) {
    throw new UnsupportedMediaTypeError(
      `Content-Type ${(req.headers['content-type'] ?? '').split(';')[0]}`,
      `Upload the raw model file bytes with Content-Type ${MODEL_TYPES.join(' or ')}.`,
    );
  }
  return (req.body as Buffer | undefined) ?? Buffer.alloc(0);
}
