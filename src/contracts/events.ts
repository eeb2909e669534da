/**
 * Message contracts: one versioned event type per order status change. Payloads are JSON
 * schemas (TypeBox) checked when an event is published and again when it is consumed.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { OrderStatus } from './order-status.js';

export const Channel = Type.Union([Type.Literal('b2c'), Type.Literal('b2b')]);
export type Channel = Static<typeof Channel>;

export const OrderKind = Type.Union([Type.Literal('catalog'), Type.Literal('custom')]);
export type OrderKind = Static<typeof OrderKind>;

export const Money = Type.Object(
  {
    amountMinor: Type.Integer({ minimum: 0, description: 'Amount in minor units (cents)' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  },
  { additionalProperties: false },
);
export type Money = Static<typeof Money>;

/** Who or what made a change: a person (seller, operator, customer), a rule, a carrier or a service. */
export const Actor = Type.String({ minLength: 1, maxLength: 200 });

const statusFields = {
  orderId: Type.String({ format: 'uuid' }),
  orderNumber: Type.String({ minLength: 1 }),
  channel: Channel,
  actor: Actor,
};

const MinorUnits = Type.Integer({ minimum: 0 });

/** What the model measured, in millimetres whatever units the uploader declared. */
export const ModelFigures = Type.Object({
  triangleCount: Type.Integer({ minimum: 0 }),
  volumeMm3: Type.Number({ minimum: 0 }),
  areaMm2: Type.Number({ minimum: 0 }),
  dimensionsMm: Type.Tuple([Type.Number(), Type.Number(), Type.Number()]),
  units: Type.String(),
  watertight: Type.Boolean(),
});
export type ModelFigures = Static<typeof ModelFigures>;

export const StoneLine = Type.Object({
  type: Type.String(),
  sizeMm: Type.Number({ minimum: 0 }),
  count: Type.Integer({ minimum: 1 }),
  /** Stone plus setting, per stone. */
  unitMinor: MinorUnits,
  amountMinor: MinorUnits,
});
export type StoneLine = Static<typeof StoneLine>;

/**
 * How a price was reached, kept with the order so it can be explained later. Amounts are
 * totals for the ordered quantity; the flat *Minor fields are what every service reads, the
 * nested ones the detail a person asks for.
 */
export const PriceBreakdown = Type.Object({
  method: Type.Union([Type.Literal('catalog'), Type.Literal('mesh')]),
  alloy: Type.String(),
  quantity: Type.Optional(Type.Integer({ minimum: 1 })),
  /** The price-list version the price came from (mesh prices). */
  priceListVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  /** The quote the order was placed from, when it was. */
  quoteId: Type.Optional(Type.String()),
  model: Type.Optional(ModelFigures),
  volumeMm3: Type.Optional(Type.Number({ minimum: 0 })),
  densityGPerCm3: Type.Optional(Type.Number({ minimum: 0 })),
  metalGrams: Type.Optional(Type.Number({ minimum: 0 })),
  pricePerGramMinor: Type.Optional(MinorUnits),
  metalMinor: MinorUnits,
  stones: Type.Optional(Type.Array(StoneLine)),
  stonesMinor: Type.Optional(MinorUnits),
  labourMinor: MinorUnits,
  /** Labour split by what drives it: every piece, surface to finish, detail, size. */
  labour: Type.Optional(
    Type.Object({
      baseMinor: MinorUnits,
      surfaceMinor: MinorUnits,
      detailMinor: MinorUnits,
      sizeMinor: MinorUnits,
    }),
  ),
  marginPercent: Type.Optional(Type.Number({ minimum: 0 })),
  marginMinor: Type.Optional(MinorUnits),
  triangles: Type.Optional(Type.Integer({ minimum: 0 })),
  total: Money,
});
export type PriceBreakdown = Static<typeof PriceBreakdown>;

export const OrderSubmitted = Type.Object({
  ...statusFields,
  kind: OrderKind,
  partnerId: Type.Optional(Type.String()),
  customer: Type.Object({ name: Type.String(), email: Type.String() }),
  alloy: Type.String({ minLength: 1 }),
  catalogSku: Type.Optional(Type.String()),
  /** For catalog orders: the list price the customer accepted. */
  listPrice: Type.Optional(Money),
  /** For custom orders: where the 3D model is stored (file-storage key). */
  modelKey: Type.Optional(Type.String()),
  quantity: Type.Integer({ minimum: 1, maximum: 100 }),
  /** Units the customer declared for the model (default millimetres). */
  units: Type.Optional(Type.String()),
  /** The quote the customer accepted: its price binds while it is valid. */
  quoteId: Type.Optional(Type.String()),
});

export const OrderPriceCalculated = Type.Object({ ...statusFields, breakdown: PriceBreakdown });
export const OrderRejected = Type.Object({ ...statusFields, reason: Type.String() });
export const OrderPricingFailed = Type.Object({
  ...statusFields,
  reason: Type.String(),
  attempts: Type.Integer({ minimum: 1 }),
});
export const OrderCancelled = Type.Object({ ...statusFields, reason: Type.String() });
export const OrderApproved = Type.Object({
  ...statusFields,
  approval: Type.Union([Type.Literal('auto'), Type.Literal('manual')]),
  rule: Type.Optional(Type.String()),
});
export const OrderStep = Type.Object({ ...statusFields, operator: Type.Optional(Type.String()) });
export const OrderShipped = Type.Object({
  ...statusFields,
  trackingNumber: Type.String(),
});
export const OrderClosed = Type.Object({
  ...statusFields,
  how: Type.Union([Type.Literal('carrier'), Type.Literal('manual')]),
});
export const OrderInitiated = Type.Object({ ...statusFields, kind: OrderKind });
export const OrderFileUploaded = Type.Object({
  ...statusFields,
  modelKey: Type.String(),
  sizeBytes: Type.Integer({ minimum: 1 }),
});

/** Event type → the status it announces and its payload schema. */
export const EVENTS = {
  'order.initiated.v1': { status: 'INITIATED', schema: OrderInitiated },
  'order.file_uploaded.v1': { status: 'FILE_UPLOADED', schema: OrderFileUploaded },
  'order.submitted.v1': { status: 'SUBMITTED', schema: OrderSubmitted },
  'order.price_calculated.v1': { status: 'PRICE_CALCULATED', schema: OrderPriceCalculated },
  'order.manufacturing_approved.v1': { status: 'MANUFACTURING_APPROVED', schema: OrderApproved },
  'order.manufacturing_started.v1': { status: 'MANUFACTURING_STARTED', schema: OrderStep },
  'order.manufacturing_completed.v1': { status: 'MANUFACTURING_COMPLETED', schema: OrderStep },
  'order.packaging.v1': { status: 'PACKAGING', schema: OrderStep },
  'order.shipped.v1': { status: 'SHIPPED', schema: OrderShipped },
  'order.closed.v1': { status: 'CLOSED', schema: OrderClosed },
  'order.cancelled.v1': { status: 'CANCELLED', schema: OrderCancelled },
  'order.rejected.v1': { status: 'REJECTED', schema: OrderRejected },
  'order.pricing_failed.v1': { status: 'PRICING_FAILED', schema: OrderPricingFailed },
} as const satisfies Record<string, { status: OrderStatus; schema: TSchema }>;

export type EventType = keyof typeof EVENTS;
export type EventPayload<T extends EventType> = Static<(typeof EVENTS)[T]['schema']>;

export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

export function isEventType(value: string): value is EventType {
  return Object.hasOwn(EVENTS, value);
}

/** The event type that announces a status. */
export function eventTypeFor(status: OrderStatus): EventType {
  const found = EVENT_TYPES.find((t) => EVENTS[t].status === status);
  if (!found) throw new Error(`No event type announces status ${status}`);
  return found;
}
