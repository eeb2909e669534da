import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { BIGINT_COLUMN_MAX } from '../contracts/api.js';
import { requireToken } from '../platform/http/auth.js';
import { openEventStream } from '../platform/http/sse.js';
import type { ServiceContext } from '../platform/service.js';
import type { Audience } from './audience.js';
import { listNotifications, recordAlerts, type AlertmanagerAlert } from './notifications.js';

const AudienceSchema = Type.Union([
  Type.Literal('seller'),
  Type.Literal('operator'),
  Type.Literal('administrator'),
]);
const ALL: Audience[] = ['seller', 'operator', 'administrator'];

/** How often an open stream looks for new notifications. */
const STREAM_POLL_MS = 1000;

export function notificationRoutes(ctx: ServiceContext) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db, config } = ctx;
    const Audiences = Type.Optional(Type.Array(AudienceSchema, { maxItems: 3 }));
    // Open streams would hold a shutdown: each is ended before the server closes.
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const end of [...streams]) end();
    });

    r.get(
      '/notifications',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Notifications for sellers, operators or administrators (all by default), oldest first',
          querystring: Type.Object({
            audience: Audiences,
            // notifications.id is a bigint; past 2^53 a JSON number is no longer exact anyway.
            after: Type.Optional(
              Type.Integer({
                minimum: 0,
                maximum: BIGINT_COLUMN_MAX,
                description: 'Only those after this id',
              }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          }),
        },
      },
      async (req) => ({
        items: await listNotifications(ctx.readDb, req.query.audience ?? ALL, {
          ...(req.query.after !== undefined ? { after: req.query.after } : {}),
          limit: req.query.limit ?? 50,
        }),
      }),
    );

    r.get(
      '/notifications/stream',
      {
        schema: {
          tags: ['notifications'],
          summary:
            'Notifications as they happen (server-sent events `notification`, each with its id; Last-Event-ID resumes)',
          querystring: Type.Object({ audience: Audiences }),
        },
      },
      async (req, reply) => {
        const audiences = req.query.audience ?? ALL;
        const resume = Number(req.headers['last-event-id']);
        // An id no bigint column holds would fail every poll of the stream: start afresh instead.
        let last = Number.isSafeInteger(resume) && resume >= 0 ? resume : undefined;
        const { res, stop } = openEventStream(reply);
        let open = true;
        const send = async () => {
          const items = await listNotifications(db, audiences, {
            ...(last !== undefined ? { after: last } : {}),
            limit: 100,
          });
          for (const n of items) {
            res.write(`id: ${n.id}\nevent: notification\ndata: ${JSON.stringify(n)}\n\n`);
            last = n.id;
          }
          if (last === undefined) last = 0;
        };
        const loop = async () => {
          while (open) {
            await send().catch((err: unknown) => req.log.warn({ err }, 'notification stream read failed'));
            await new Promise((resolve) => setTimeout(resolve, STREAM_POLL_MS));
          }
        };
        res.write(`event: hello\ndata: {}\n\n`);
        void loop();
        const end = () => {
          if (!open) return;
          open = false;
          stop();
          streams.delete(end);
          res.end();
        };
        streams.add(end);
        req.raw.on('close', end);
      },
    );

    r.post(
      '/alerts',
      {
        schema: {
          tags: ['notifications'],
          summary:
            "Alertmanager's webhook (administrator token): each alert becomes a notification for its `audience` label (administrators by default), e-mailed to that audience",
          security: [{ bearer: [] }],
          body: Type.Object({
            alerts: Type.Array(
              Type.Object({
                status: Type.Union([Type.Literal('firing'), Type.Literal('resolved')]),
                labels: Type.Record(Type.String(), Type.String()),
                annotations: Type.Optional(Type.Record(Type.String(), Type.String())),
                fingerprint: Type.Optional(Type.String()),
              }),
              { maxItems: 1000 },
            ),
          }),
        },
      },
      async (req, reply) => {
        requireToken(req, config.ADMIN_TOKEN, 'administrator');
        const n = await db.tx((q) => recordAlerts(q, req.body.alerts as AlertmanagerAlert[]));
        return reply.status(202).send({ notifications: n });
      },
    );

    r.get(
      '/subscribers',
      {
        schema: {
          tags: ['notifications'],
          summary: 'Who is e-mailed for each audience (administrator token: addresses are personal data)',
          security: [{ bearer: [] }],
        },
      },
      async (req) => {
        requireToken(req, config.ADMIN_TOKEN, 'administrator');
        const rows = await db.query<{ audience: Audience; email: string }>(
          'SELECT audience, email FROM notification_subscribers ORDER BY audience, email',
        );
        return { items: rows.rows };
      },
    );

    r.put(
      '/subscribers',
      {
        schema: {
          tags: ['notifications'],
          summary: "Add an e-mail address to an audience's notifications (administrator token)",
          security: [{ bearer: [] }],
          body: Type.Object(
            { audience: AudienceSchema, email: Type.String({ format: 'email', maxLength: 320 }) },
            { additionalProperties: false },
          ),
        },
      },
      async (req, reply) => {
        requireToken(req, config.ADMIN_TOKEN, 'administrator');
        await db.query(
          'INSERT INTO notification_subscribers (audience, email) VALUES ($1, $2) ON CONFLICT DO NOTHING',
          [req.body.audience, req.body.email.toLowerCase()],
        );
        return reply.status(204).send();
      },
    );

    r.delete(
      '/subscribers',
      {
        schema: {
          tags: ['notifications'],
          summary: "Remove an e-mail address from an audience's notifications (administrator token)",
          security: [{ bearer: [] }],
          querystring: Type.Object({ audience: AudienceSchema, email: Type.String({ maxLength: 320 }) }),
        },
      },
      async (req, reply) => {
        requireToken(req, config.ADMIN_TOKEN, 'administrator');
        await db.query('DELETE FROM notification_subscribers WHERE audience = $1 AND email = $2', [
          req.query.audience,
          req.query.email.toLowerCase(),
        ]);
        return reply.status(204).send();
      },
    );
  };
}
