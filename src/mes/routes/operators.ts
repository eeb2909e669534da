import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { BIGINT_COLUMN_MAX, errors } from '../../contracts/api.js';
import { OrderNotFoundError } from '../../platform/http/errors.js';
import { assignQueued } from '../assignment/assigner.js';
import { audit, readAudit, type AuditRow } from '../assignment/audit.js';
import type { MesDeps } from '../deps.js';
import { NotReleasableError } from '../errors.js';
import {
  NotAssignableError,
  OperatorInactiveError,
  OperatorUnknownError,
  ReleaseInWorkError,
} from '../operators/errors.js';
import { requireSkills } from '../operators/guard.js';
import { SKILLS } from '../operators/skills.js';
import {
  getOperator,
  listOperators,
  lockOperator,
  putOperator,
  type OperatorRow,
} from '../operators/store.js';
import * as store from '../store.js';
import { ON_HAND_STATUSES } from '../workspace/statuses.js';
import { requireAdmin } from './admin.js';

const OperatorId = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$',
  description: 'Letters, digits, dot, dash, underscore; up to 63 characters',
});
const Skill = Type.Union(
  SKILLS.map((s) => Type.Literal(s)),
  { description: `One of ${SKILLS.join(', ')}` },
);
const OperatorBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.Optional(Type.Union([Type.String({ format: 'email', maxLength: 320 }), Type.Null()])),
    skills: Type.Array(Skill, { minItems: 1, maxItems: SKILLS.length }),
    capacity: Type.Integer({ minimum: 1, maximum: 100, description: 'Orders on hand at most' }),
    autoAssign: Type.Optional(Type.Boolean({ description: 'The assigner gives this operator work' })),
    notifyEmail: Type.Optional(Type.Boolean({ description: 'E-mail when an order they can make is queued' })),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const OperatorView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.Union([Type.String(), Type.Null()]),
  skills: Type.Array(Type.String()),
  capacity: Type.Integer(),
  autoAssign: Type.Boolean(),
  notifyEmail: Type.Boolean(),
  active: Type.Boolean(),
  numbers: Type.Object({
    onHand: Type.Integer({ description: 'Orders assigned or in work now' }),
    taken: Type.Integer({ description: 'Orders ever given to or claimed by the operator' }),
    completed: Type.Integer(),
    averageMakingMs: Type.Union([Type.Integer(), Type.Null()], {
      description: 'Mean time from start to completed',
    }),
  }),
});
const AuditView = Type.Object({
  id: Type.Integer(),
  orderId: Type.String(),
  orderNumber: Type.String(),
  action: Type.String(),
  fromOperator: Type.Union([Type.String(), Type.Null()]),
  toOperator: Type.Union([Type.String(), Type.Null()]),
  actor: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  at: Type.String(),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Reason = Type.Optional(Type.String({ minLength: 1, maxLength: 500 }));

const operatorView = (o: OperatorRow) => ({
  id: o.id,
  name: o.name,
  email: o.email,
  skills: o.skills,
  capacity: o.capacity,
  autoAssign: o.auto_assign,
  notifyEmail: o.notify_email,
  active: o.active,
  numbers: {
    onHand: Number(o.on_hand),
    taken: Number(o.taken),
    completed: Number(o.completed),
    averageMakingMs: Number(o.completed) > 0 ? Math.round(Number(o.making_ms) / Number(o.completed)) : null,
  },
});
const auditView = (a: AuditRow) => ({
  id: Number(a.id),
  orderId: a.order_id,
  orderNumber: a.order_number,
  action: a.action,
  fromOperator: a.from_operator,
  toOperator: a.to_operator,
  actor: a.actor,
  reason: a.reason,
  at: a.at,
});

/** Operators, their numbers, and the administrator's assignment tools with their audit trail. */
export function operatorRoutes(d: MesDeps) {
  return async (app: FastifyInstance) => {
    const r = app.withTypeProvider<TypeBoxTypeProvider>();
    const { db } = d;
    const { change } = d;

    r.get(
      '/operators',
      {
        schema: {
          tags: ['operators'],
          summary: 'Operators with their skills, capacity and numbers',
          response: { 200: Type.Object({ items: Type.Array(OperatorView) }) },
        },
      },
      async () => ({ items: (await listOperators(d.readDb)).map(operatorView) }),
    );

    r.get(
      '/operators/:operator',
      {
        schema: {
          tags: ['operators'],
          summary: 'One operator and their own numbers: on hand, taken, completed, average time',
          params: Type.Object({ operator: OperatorId }),
          response: { 200: OperatorView, ...errors(400, 404) },
        },
      },
      async (req) => {
        const op = await getOperator(db, req.params.operator);
        if (!op) throw new OperatorUnknownError(req.params.operator);
        return operatorView(op);
      },
    );

    r.put(
      '/operators/:operator',
      {
        schema: {
          tags: ['operators'],
          summary: 'Add or change an operator (administrator)',
          params: Type.Object({ operator: OperatorId }),
          body: OperatorBody,
          response: { 200: OperatorView, 201: OperatorView, ...errors(400, 401) },
        },
      },
      async (req, reply) => {
        requireAdmin(d, req);
        const created = await change(async (q) => {
          const isNew = await putOperator(q, req.params.operator, req.body);
          // More room or a new skill may let the assigner give out waiting orders.
          await assignQueued(q);
          return isNew;
        });
        const op = (await getOperator(db, req.params.operator)) as OperatorRow;
        return reply.code(created ? 201 : 200).send(operatorView(op));
      },
    );

    r.post(
      '/orders/:id/assign',
      {
        schema: {
          tags: ['operators'],
          summary:
            'Give an order to an operator, or move it to another one (administrator); recorded in the audit trail',
          description:
            'For approved orders (assigned, waiting to be started) and orders in manufacturing, completed or packaging. Capacity is not enforced: the administrator decides.',
          params: IdParams,
          body: Type.Object({ operator: OperatorId, reason: Reason }, { additionalProperties: false }),
          response: {
            200: Type.Object({ orderId: Type.String(), operator: Type.String() }),
            ...errors(400, 401, 403, 404, 409),
          },
        },
      },
      async (req) => {
        requireAdmin(d, req);
        return change(async (q) => {
          const op = await lockOperator(q, req.body.operator);
          if (!op) throw new OperatorUnknownError(req.body.operator);
          if (!op.active) throw new OperatorInactiveError(op.id);
          const row = await store.getOrder(q, req.params.id, true);
          if (!row) throw new OrderNotFoundError(req.params.id);
          if (!ON_HAND_STATUSES.includes(row.status)) throw new NotAssignableError(row.number, row.status);
          requireSkills(op, row);
          if (row.operator !== op.id) {
            await store.update(q, row.id, { operator: op.id, assigned_at: new Date().toISOString() });
            await audit(q, {
              orderId: row.id,
              number: row.number,
              action: row.operator ? 'reassign' : 'assign',
              from: row.operator,
              to: op.id,
              actor: 'administrator',
              reason: req.body.reason ?? null,
            });
            if (row.operator) await assignQueued(q); // the previous operator has room again
          }
          return { orderId: row.id, operator: op.id };
        });
      },
    );

    r.post(
      '/orders/:id/release',
      {
        schema: {
          tags: ['operators'],
          summary: 'Take an assigned order that has not been started back into the queue (administrator)',
          params: IdParams,
          body: Type.Object({ reason: Reason }, { additionalProperties: false }),
          response: { 200: Type.Object({ orderId: Type.String() }), ...errors(400, 401, 404, 409) },
        },
      },
      async (req) => {
        requireAdmin(d, req);
        return change(async (q) => {
          const row = await store.getOrder(q, req.params.id, true);
          if (!row) throw new OrderNotFoundError(req.params.id);
          // "Reassign it instead" helps only while the order is in production: the assign route
          // refuses every other status, so those get a message that does not send them there.
          if (!ON_HAND_STATUSES.includes(row.status))
            throw new NotReleasableError(
              row.number,
              row.status,
              // CANCELLED and REJECTED happen only before approval: those never entered production.
              row.status === 'SHIPPED' || row.status === 'CLOSED'
                ? 'it has left production, so there is no operator to take it from or give it to.'
                : 'it has not been approved for manufacturing, so it is in no queue and no operator has it.',
            );
          if (row.status !== 'MANUFACTURING_APPROVED')
            throw new ReleaseInWorkError(row.number, row.status, row.operator ?? 'nobody');
          if (row.operator) {
            await store.update(q, row.id, { operator: null, assigned_at: null });
            await audit(q, {
              orderId: row.id,
              number: row.number,
              action: 'release',
              from: row.operator,
              actor: 'administrator',
              reason: req.body.reason ?? null,
            });
          }
          return { orderId: row.id };
        });
      },
    );

    r.get(
      '/assignments',
      {
        schema: {
          tags: ['operators'],
          summary: 'The assignment audit trail, newest first: claims, automatic, administrator changes',
          querystring: Type.Object({
            orderId: Type.Optional(Type.String({ format: 'uuid' })),
            // assignment_audit.id is a bigserial: a larger id would reach PostgreSQL as out of range
            // (a 500); the safe-integer bound is also where JSON numbers stop being exact.
            before: Type.Optional(
              Type.Integer({
                minimum: 1,
                maximum: BIGINT_COLUMN_MAX,
                description: 'Entries older than this id',
              }),
            ),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
          }),
          response: { 200: Type.Object({ items: Type.Array(AuditView) }), ...errors(400) },
        },
      },
      async (req) => ({
        items: (
          await readAudit(d.readDb, {
            ...(req.query.orderId ? { orderId: req.query.orderId } : {}),
            ...(req.query.before ? { before: req.query.before } : {}),
            limit: req.query.limit ?? 50,
          })
        ).map(auditView),
      }),
    );

    r.post(
      '/assignments/run',
      {
        schema: {
          tags: ['operators'],
          summary: 'Run the assigner now (administrator); it also runs on every approval and freed capacity',
          response: {
            200: Type.Object({
              assigned: Type.Array(
                Type.Object({ orderId: Type.String(), number: Type.String(), operator: Type.String() }),
              ),
            }),
            ...errors(401),
          },
        },
      },
      async (req) => {
        requireAdmin(d, req);
        return { assigned: await change((q) => assignQueued(q, 'administrator')) };
      },
    );
  };
}
