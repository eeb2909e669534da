import { Type, type Static } from '@sinclair/typebox';
import { OrderStatusSchema } from '../../contracts/api.js';

/** The workspace's filters, as the query string carries them. */
export const WorkspaceQuery = Type.Object(
  {
    scope: Type.Optional(
      Type.Union([Type.Literal('active'), Type.Literal('archive'), Type.Literal('all')], {
        description: 'active (default): orders in work; archive: ended orders; all: both',
      }),
    ),
    status: Type.Optional(
      Type.Array(OrderStatusSchema, {
        maxItems: 13,
        description: 'One or more statuses (repeat the parameter or separate with commas)',
      }),
    ),
    channel: Type.Optional(Type.Union([Type.Literal('b2c'), Type.Literal('b2b')])),
    partner: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    operator: Type.Optional(
      Type.String({ minLength: 1, maxLength: 200, description: 'An operator id, or "none" for unassigned' }),
    ),
    overdue: Type.Optional(Type.Boolean({ description: 'Only orders past their deadline (active only)' })),
    createdFrom: Type.Optional(Type.String({ format: 'date-time' })),
    createdTo: Type.Optional(Type.String({ format: 'date-time' })),
    dueFrom: Type.Optional(Type.String({ format: 'date-time' })),
    dueTo: Type.Optional(Type.String({ format: 'date-time' })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        description: 'An order number (S-0000123, or its beginning) or the beginning of a customer name',
      }),
    ),
    sort: Type.Optional(
      Type.Union(
        [Type.Literal('newest'), Type.Literal('oldest'), Type.Literal('deadline'), Type.Literal('approval')],
        {
          description:
            'newest (default) or oldest by submission, earliest deadline first, or oldest approval first (the queue order; approved orders only)',
        },
      ),
    ),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
    after: Type.Optional(Type.String({ description: 'Cursor from the previous page' })),
  },
  { additionalProperties: false },
);
export type WorkspaceFilter = Static<typeof WorkspaceQuery>;
