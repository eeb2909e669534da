import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { openEventStream } from '../../platform/http/sse.js';
import type { PricingDeps } from '../deps.js';
import type { ProgressEvent } from '../progress.js';

/** Server-sent events: the stages of an upload (its X-Progress-Id) or of an order's pricing (its id). */
export function progressRoutes(d: PricingDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    r.get(
      '/progress/:id',
      {
        schema: {
          tags: ['models'],
          summary: 'Live progress (text/event-stream) of the work on an upload or an order',
          description:
            'Each event is JSON {stage: parse|analyse|validate|price, done, total}; the stream ends after {stage: done} or {stage: failed, message}.',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          produces: ['text/event-stream'],
        },
      },
      (req, reply) => {
        const { res, stop } = openEventStream(reply);
        res.write(': progress\n\n');
        let unsubscribe = () => undefined as void;
        const end = () => {
          unsubscribe();
          stop();
          res.end();
        };
        unsubscribe = d.hub.subscribe(req.params.id, (e: ProgressEvent) => {
          res.write(`data: ${JSON.stringify(e)}\n\n`);
          if (e.stage === 'done' || e.stage === 'failed') setImmediate(end);
        });
        req.raw.on('close', end);
      },
    );
  };
}
