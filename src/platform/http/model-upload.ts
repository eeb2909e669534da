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
export function acceptModelUploads(
  app: FastifyInstance,
  maxBytes: number,
  opts: { shared?: boolean } = {},
): void {
  if (!opts.shared) {
    app.addContentTypeParser(MODEL_TYPES, { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) =>
      done(null, body),
    );
    return;
  }
  app.addContentTypeParser(MODEL_TYPES, (req: FastifyRequest, payload: AsyncIterable<Buffer>) =>
    readShared(payload, req.headers['content-length'], maxBytes),
  );
}

/** Fastify's own code for an oversized body, so the server's 413 answer covers this parser too. */
function tooLarge(): Error {
  return Object.assign(new Error('Request body is too large'), {
    code: 'FST_ERR_CTP_BODY_TOO_LARGE',
    statusCode: 413,
  });
}

/**
 * Reads an upload straight into a SharedArrayBuffer, chunk by chunk as it arrives: the model is
 * then held once, and worker threads read those same bytes, instead of a request buffer plus a
 * shared copy. Sized from Content-Length when given (checked against the limit before reading),
 * grown by doubling otherwise. Returned as a Buffer view of the shared memory.
 */
async function readShared(
  payload: AsyncIterable<Buffer>,
  contentLength: string | undefined,
  maxBytes: number,
) {
  const declared = contentLength === undefined ? undefined : Number(contentLength);
  if (declared !== undefined && declared > maxBytes) throw tooLarge();
  let memory = new SharedArrayBuffer(Math.max(declared ?? 64 * 1024, 1));
  let bytes = new Uint8Array(memory);
  let length = 0;
  for await (const chunk of payload) {
    if (length + chunk.length > maxBytes) throw tooLarge();
    if (length + chunk.length > bytes.length) {
      memory = new SharedArrayBuffer(Math.min(maxBytes, Math.max(bytes.length * 2, length + chunk.length)));
      const grown = new Uint8Array(memory);
      grown.set(bytes.subarray(0, length));
      bytes = grown;
    }
    bytes.set(chunk, length);
    length += chunk.length;
  }
  return Buffer.from(memory, 0, length);
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
