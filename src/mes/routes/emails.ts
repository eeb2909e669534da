import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { BIGINT_COLUMN_MAX, errors } from '../../contracts/api.js';
import { failedEmails, retryEmail } from '../../platform/mail/email-outbox.js';
import type { MesDeps } from '../deps.js';
import { EmailNotFailedError } from '../errors.js';
import { requireAdmin } from './admin.js';

const FailedEmailView = Type.Object({
  id: Type.Integer(),
  recipient: Type.String(),
  subject: Type.String(),
  orderId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  attempts: Type.Integer(),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

/** E-mails to operators that could not be sent: listed for the administrator, who can retry them. */
export function emailRoutes(d: MesDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();

    r.get(
      '/emails/failed',
      {
        schema: {
          tags: ['operators'],
          summary: 'E-mails the sender gave up on, with the SMTP server’s last answer (administrator)',
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
          response: { 200: Type.Object({ items: Type.Array(FailedEmailView) }), ...errors(400, 401) },
        },
      },
      async (req) => {
        requireAdmin(d, req);
        return { items: await failedEmails(d.db, { limit: req.query.limit ?? 100 }) };
      },
    );

    r.post(
      '/emails/:id/retry',
      {
        schema: {
          tags: ['operators'],
          summary: 'Send a failed e-mail again, with a fresh set of attempts (administrator)',
          // email_outbox.id is a bigserial: a larger id would reach PostgreSQL as out of range (a 500).
          params: Type.Object({ id: Type.Integer({ minimum: 1, maximum: BIGINT_COLUMN_MAX }) }),
          response: {
            200: Type.Object({ id: Type.Integer(), retrying: Type.Boolean() }),
            ...errors(400, 401, 404),
          },
        },
      },
      async (req) => {
        requireAdmin(d, req);
        const ok = await d.db.tx((q) => retryEmail(q, req.params.id));
        if (!ok) throw new EmailNotFailedError(req.params.id);
        return { id: req.params.id, retrying: true };
      },
    );
  };
}
