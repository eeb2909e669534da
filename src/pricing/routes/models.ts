import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { v7 as uuidv7 } from 'uuid';
import { errors } from '../../contracts/api.js';
import { acceptModelUploads, MODEL_TYPES, uploadedBytes } from '../../platform/http/model-upload.js';
import { ModelEmptyError } from '../../platform/geometry/stl-errors.js';
import { isUnit, UNIT_NAMES } from '../../platform/geometry/units.js';
import { ModelNotFoundError, UnitUnknownError } from '../errors.js';
import type { PricingDeps } from '../deps.js';
import * as store from '../store.js';
import { ModelInfo, modelView } from './views.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function modelRoutes(d: PricingDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db, config, storage } = d.ctx;
    acceptModelUploads(app, config.MODEL_MAX_BYTES, { shared: true });

    r.post(
      '/models',
      {
        bodyLimit: config.MODEL_MAX_BYTES,
        schema: {
          consumes: MODEL_TYPES,
          tags: ['models'],
          summary: 'Upload a 3D model (binary or ASCII STL, or OBJ) and get its measurements',
          description:
            'Send the raw file bytes. The model is parsed and measured on the worker pool (volume, area, size, triangles) and checked (closed, manifold, orientation). To watch the work, open GET /progress/<id> first and send the same id in the X-Progress-Id header. Quote the model with POST /quotes.',
          querystring: Type.Object({
            filename: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
            units: Type.Optional(
              Type.String({ description: `One of ${UNIT_NAMES.join(', ')} (default mm)` }),
            ),
          }),
          headers: Type.Object({ 'x-progress-id': Type.Optional(Type.String({ format: 'uuid' })) }),
          response: { 201: ModelInfo, ...errors(400, 413, 415, 422, 503) },
        },
      },
      async (req, reply) => {
        const units = req.query.units ?? 'mm';
        if (!isUnit(units)) throw new UnitUnknownError(units, UNIT_NAMES.join(', '));
        const bytes = uploadedBytes(req);
        if (bytes.length === 0) throw new ModelEmptyError();
        const filename = req.query.filename ?? 'model.stl';
        const progressId = req.headers['x-progress-id'];
        const report = progressId
          ? (p: Parameters<typeof d.hub.publish>[1]) => d.hub.publish(progressId, p)
          : undefined;
        let measured;
        try {
          measured = await d.engine.measure(bytes, { filename, units }, report);
        } catch (err) {
          if (progressId) d.hub.publish(progressId, { stage: 'failed', message: (err as Error).message });
          throw err;
        }
        const id = uuidv7();
        // The key is made of the id and a fixed name, never the client's filename (which `..`
        // or a separator would turn into a path outside the model's folder); the filename is kept
        // as the model's metadata. The extension stays, from the measured format: an order
        // priced later from this key uses it as the hint for text that does not look like OBJ.
        const key = `models/pricing/${id}/model.${measured.format === 'obj' ? 'obj' : 'stl'}`;
        await storage.put(key, bytes, 'application/octet-stream');
        const row = await store.insertModel(db, {
          id,
          storage_key: key,
          filename,
          units,
          format: measured.format,
          bytes: bytes.length,
          figures: { ...measured.figures, bbox: measured.bbox },
          validation: measured.validation,
        });
        if (progressId) d.hub.publish(progressId, { stage: 'done' });
        return reply.status(201).send(modelView(row, d.prefix));
      },
    );

    r.get(
      '/models/:id',
      {
        schema: {
          tags: ['models'],
          summary: 'A model uploaded before, with its measurements',
          params: IdParams,
          response: { 200: ModelInfo, ...errors(400, 404) },
        },
      },
      async (req) => {
        const m = await store.getModel(db, req.params.id);
        if (!m) throw new ModelNotFoundError(req.params.id);
        return modelView(m, d.prefix);
      },
    );

    r.get(
      '/models/:id/file',
      {
        schema: {
          tags: ['models'],
          summary: 'The model file as uploaded (for the 3D preview)',
          params: IdParams,
          produces: ['application/octet-stream'],
          response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }), ...errors(400, 404) },
        },
      },
      async (req, reply) => {
        const m = await store.getModel(db, req.params.id);
        if (!m) throw new ModelNotFoundError(req.params.id);
        const bytes = await storage.get(m.storage_key);
        return reply
          .header('content-type', 'application/octet-stream')
          .header('content-disposition', contentDisposition(m.filename))
          .header('cache-control', 'private, max-age=3600')
          .send(bytes);
      },
    );
  };
}

/**
 * The header for a stored filename, which is whatever the client sent: a control character or a
 * character outside Latin-1 in a header throws (a 500), and a quote would end the value. The
 * plain `filename` gets a printable-ASCII copy; `filename*` (RFC 6266) carries the real name.
 */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  let encoded: string;
  try {
    encoded = encodeURIComponent(filename).replace(
      /['()*]/g,
      (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    return `inline; filename="${ascii}"`; // a lone surrogate has no UTF-8 form
  }
  return `inline; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
