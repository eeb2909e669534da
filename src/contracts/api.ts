/** Response shapes shared by every service's HTTP API (see docs/api.md). */
import { Type, type TSchema } from '@sinclair/typebox';
import { ALLOY_IDS, type AlloyId } from './alloys.js';
import { Channel, Money, OrderKind, PriceBreakdown } from './events.js';
import { ORDER_STATUSES, type OrderStatus } from './order-status.js';

/**
 * The largest values a PostgreSQL `integer` column and (exactly, as a JSON number) a `bigint`
 * column hold: a schema bound by them answers 400 where the database would fail with a 500.
 */
export const INT_COLUMN_MAX = 2_147_483_647;
export const BIGINT_COLUMN_MAX = Number.MAX_SAFE_INTEGER;

export const OrderStatusSchema = Type.Unsafe<OrderStatus>({ type: 'string', enum: [...ORDER_STATUSES] });
export const AlloySchema = Type.Unsafe<AlloyId>({
  type: 'string',
  enum: [...ALLOY_IDS],
  description: `One of ${ALLOY_IDS.join(', ')}`,
});

export const ErrorResponse = Type.Object(
  {
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable, named error code' }),
    error: Type.String(),
    message: Type.String({ description: 'What went wrong and what to do about it' }),
  },
  { $id: 'ErrorResponse' },
);

export const Customer = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ format: 'email', maxLength: 320 }),
  },
  { additionalProperties: false },
);

export const HistoryEntry = Type.Object({
  status: OrderStatusSchema,
  previousStatus: Type.Union([OrderStatusSchema, Type.Null()]),
  actor: Type.String(),
  source: Type.String(),
  occurredAt: Type.String({ format: 'date-time' }),
});

export const OrderView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String(),
  channel: Channel,
  kind: OrderKind,
  status: OrderStatusSchema,
  catalogSku: Type.Optional(Type.String()),
  alloy: Type.String(),
  quantity: Type.Integer(),
  reference: Type.Optional(Type.String()),
  partnerId: Type.Optional(Type.String()),
  customer: Type.Optional(Type.Object({ name: Type.String(), email: Type.String() })),
  model: Type.Optional(Type.Object({ key: Type.String(), sizeBytes: Type.Integer() })),
  /** Where the model file can be read (MES: for the operator's 3D preview). */
  modelUrl: Type.Optional(Type.String()),
  quoteId: Type.Optional(Type.String()),
  price: Type.Optional(Money),
  breakdown: Type.Optional(PriceBreakdown),
  approval: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('manual'), Type.Null()])),
  awaitingApproval: Type.Optional(Type.Boolean()),
  operator: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  /** MES: the skills an operator needs to make it, and the shipping deadline. */
  requiredSkills: Type.Optional(Type.Array(Type.String())),
  dueAt: Type.Optional(Type.String({ format: 'date-time' })),
  trackingNumber: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  rejectionReason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
  history: Type.Optional(Type.Array(HistoryEntry)),
});

export function listOf<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
}

export const ListQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  after: Type.Optional(Type.String({ description: 'Cursor from the previous page' })),
};

/** Standard error responses for the OpenAPI document. */
export function errors(...codes: number[]): Record<number, typeof ErrorResponse> {
  return Object.fromEntries(codes.map((c) => [c, ErrorResponse]));
}

/** The stones a customer or partner asks for in a quote: type and size from the price list. */
export const StoneRequests = Type.Array(
  Type.Object(
    {
      type: Type.String({
        minLength: 1,
        maxLength: 40,
        description: 'A stone type of the price list, e.g. diamond',
      }),
      sizeMm: Type.Number({ exclusiveMinimum: 0, maximum: 50, description: 'One of the sizes it lists' }),
      count: Type.Integer({ minimum: 1, maximum: 1000 }),
    },
    { additionalProperties: false },
  ),
  { maxItems: 20 },
);
