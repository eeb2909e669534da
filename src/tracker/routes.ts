import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ORDER_STATUSES, TERMINAL_STATUSES, type ServiceName } from '../contracts/order-status.js';
import { requireToken } from '../platform/http/auth.js';
import type { ServiceContext } from '../platform/service.js';
import { listDeadlines, setDeadline } from './deadlines.js';
import {
  DeadlineStatusError,
  DeadlineUnitsError,
  IncidentNotFoundError,
  IncidentNotRetryableError,
  JourneyNotFoundError,
} from './errors.js';
import { readJourney } from './read-journey.js';
import { pipelineView } from './pipeline.js';
import { getIncident, listIncidents, type IncidentView } from './incidents.js';
import type { ServiceClient } from './service-client.js';

const WAITING_STATUSES = ORDER_STATUSES.filter((s) => !TERMINAL_STATUSES.includes(s));

const Kind = Type.Union(['late', 'promise', 'dead_letter', 'lost'].map((k) => Type.Literal(k)));

export function trackerRoutes(ctx: ServiceContext, client: ServiceClient) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db, config } = ctx;

    r.get(
      '/orders/:id/journey',
      {
        schema: {
          tags: ['journeys'],
          summary:
            "An order's journey: every status with who or what set it, when, how long it took, its trace, the current deadline and the order's incidents",
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        },
      },
      async (req) => {
        const journey = await readJourney(ctx.readDb, req.params.id);
        if (!journey) throw new JourneyNotFoundError(req.params.id);
        return journey;
      },
    );

    r.get(
      '/incidents',
      {
        schema: {
          tags: ['incidents'],
          summary: 'Incidents, newest first: open ones by default',
          querystring: Type.Object({
            state: Type.Optional(
              Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('all')]),
            ),
            kind: Type.Optional(Kind),
            audience: Type.Optional(
              Type.Union([Type.Literal('seller'), Type.Literal('operator'), Type.Literal('administrator')]),
            ),
            orderId: Type.Optional(Type.String({ format: 'uuid' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          }),
        },
      },
      async (req) => ({ items: await listIncidents(ctx.readDb, req.query) }),
    );

    /**
     * Retries what an incident is about: replays a dead letter, or has the publisher send a lost
     * event again. The incident resolves only once the message is actually handled.
     */
    const retry = async (incident: IncidentView): Promise<void> => {
      if (incident.resolvedAt) throw new IncidentNotRetryableError(incident.id, 'it is already resolved');
      const publishedBy = incident.detail.publishedBy;
      const messageId = incident.detail.messageId;
      if (incident.kind === 'dead_letter' && incident.deadLetterId && incident.service)
        await client.replayDeadLetter(incident.service as ServiceName, incident.deadLetterId);
      else if (
        incident.kind === 'lost' &&
        incident.service &&
        typeof publishedBy === 'string' &&
        typeof messageId === 'string'
      )
        await client.redeliver(publishedBy as ServiceName, messageId, incident.service);
      else
        throw new IncidentNotRetryableError(
          incident.id,
          incident.kind === 'lost'
            ? 'the event never reached the tracker, so it cannot name the message; look at the publishing service (its outbox and relay)'
            : `it is a ${incident.kind} incident: it resolves when someone moves the order on`,
        );
      await db.query(
        `UPDATE incidents SET detail = detail || jsonb_build_object('retriedAt', now()) WHERE id = $1`,
        [incident.id],
      );
    };

    r.post(
      '/incidents/:id/retry',
      {
        schema: {
          tags: ['incidents'],
          summary:
            'Retry the message behind an incident (administrator token): replay a dead letter, or have the publisher deliver a lost event again to the service that lost it; the incident resolves when the message is handled',
          security: [{ bearer: [] }],
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        },
      },
      async (req, reply) => {
        requireToken(req, config.ADMIN_TOKEN, 'administrator');
        const incident = await getIncident(db, req.params.id);
        if (!incident) throw new IncidentNotFoundError(req.params.id);
        await retry(incident);
        return reply.status(202).send({ retried: [incident.id] });
      },
    );

    r.post(
      '/dead-letters/retry',
      {
        schema: {
          tags: ['incidents'],
          summary:
            'Retry dead-lettered messages in a batch: the given incidents, or every open dead-letter incident (administrator token)',
          security: [{ bearer: [] }],
          // Without incidentIds this retries every open dead letter, so a misspelt field must be
          // refused, not ignored: it would turn a retry of a few into a retry of all.
          body: Type.Object(
            {
              incidentIds: Type.Optional(
                Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 500 }),
              ),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        requireToken(req, config.ADMIN_TOKEN, 'administrator');
        const open = await listIncidents(db, { state: 'open', kind: 'dead_letter', limit: 500 });
        const wanted = req.body.incidentIds ? new Set(req.body.incidentIds) : undefined;
        const chosen = wanted ? open.filter((i) => wanted.has(i.id)) : open;
        const retried: string[] = [];
        const failed: { id: string; message: string }[] = [];
        for (const incident of chosen) {
          try {
            await retry(incident);
            retried.push(incident.id);
          } catch (err) {
            failed.push({ id: incident.id, message: (err as Error).message });
          }
        }
        const unknown = wanted ? [...wanted].filter((id) => !chosen.some((i) => i.id === id)) : [];
        for (const id of unknown) failed.push({ id, message: 'not an open dead-letter incident' });
        return reply.status(202).send({ retried, failed });
      },
    );

    r.get(
      '/deadlines',
      { schema: { tags: ['deadlines'], summary: 'How long an order may stay in each status, per channel' } },
      async () => ({ items: await listDeadlines(db) }),
    );

    r.put(
      '/deadlines',
      {
        schema: {
          tags: ['deadlines'],
          summary:
            "Set a stage's deadline in seconds or working days (neither removes it); open orders in that stage get the new deadline at once (administrator token)",
          security: [{ bearer: [] }],
          // A body with neither seconds nor workingDays removes the deadline, so a misspelt field
          // (`second`, `days`) must be refused rather than ignored into a removal.
          body: Type.Object(
            {
              status: Type.String(),
              channel: Type.Optional(
                Type.Union([Type.Literal('*'), Type.Literal('b2c'), Type.Literal('b2b')]),
              ),
              seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 * 86400 })),
              workingDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 250 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async (req) => {
        requireToken(req, config.ADMIN_TOKEN, 'administrator');
        const b = req.body;
        if (!(WAITING_STATUSES as readonly string[]).includes(b.status))
          throw new DeadlineStatusError(b.status, WAITING_STATUSES.join(', '));
        if (b.seconds !== undefined && b.workingDays !== undefined)
          throw new DeadlineUnitsError(b.seconds, b.workingDays);
        await setDeadline(
          db,
          {
            status: b.status,
            channel: b.channel ?? '*',
            ...(b.seconds !== undefined ? { seconds: b.seconds } : {}),
            ...(b.workingDays !== undefined ? { workingDays: b.workingDays } : {}),
          },
          'administrator',
        );
        return { items: await listDeadlines(db) };
      },
    );

    r.get(
      '/pipeline',
      {
        schema: {
          tags: ['journeys'],
          summary:
            'The operations view: the funnel now, time per stage (p50/p95/p99) and orders created in a window, open incidents by kind',
          querystring: Type.Object({ hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 90 })) }),
        },
      },
      async (req) => pipelineView(ctx.readDb, req.query.hours ?? 24),
    );

    r.get(
      '/ui-config',
      {
        schema: {
          tags: ['journeys'],
          summary: 'What the web app needs to link a trace id to the tracing UI',
        },
      },
      async () => ({ tracingUiUrl: config.TRACING_UI_URL ?? null }),
    );

    r.get(
      '/late',
      {
        schema: {
          tags: ['journeys'],
          summary: 'Orders past their stage deadline now, most overdue first (late and stuck orders)',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        },
      },
      async (req) => {
        const rows = await ctx.readDb.query<Record<string, unknown>>(
          `SELECT order_id, order_number, channel, status, status_since, stage_deadline_at, promise_at, trace_id
           FROM journeys WHERE ended_at IS NULL AND stage_deadline_at <= now()
           ORDER BY stage_deadline_at LIMIT $1`,
          [req.query.limit ?? 100],
        );
        return {
          items: rows.rows.map((j) => ({
            orderId: j.order_id,
            orderNumber: j.order_number,
            channel: j.channel,
            status: j.status,
            statusSince: j.status_since,
            deadlineAt: j.stage_deadline_at,
            promiseAt: j.promise_at,
            traceId: j.trace_id,
          })),
        };
      },
    );
  };
}
