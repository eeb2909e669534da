import { Type } from '@sinclair/typebox';

/** A production order as the workspace lists it and the live feed carries it. */
export const WorkspaceOrder = Type.Object({
  id: Type.String({ format: 'uuid' }),
  number: Type.String(),
  channel: Type.Union([Type.Literal('b2c'), Type.Literal('b2b')]),
  kind: Type.Union([Type.Literal('catalog'), Type.Literal('custom')]),
  partnerId: Type.Union([Type.String(), Type.Null()]),
  customerName: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  operator: Type.Union([Type.String(), Type.Null()]),
  requiredSkills: Type.Array(Type.String()),
  alloy: Type.String(),
  quantity: Type.Integer(),
  priceMinor: Type.Union([Type.Integer(), Type.Null()]),
  currency: Type.Union([Type.String(), Type.Null()]),
  hasModel: Type.Boolean(),
  dueAt: Type.String({ format: 'date-time' }),
  overdue: Type.Boolean(),
  approvedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  assignedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  claimedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  trackingNumber: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const WorkspacePage = Type.Object({
  items: Type.Array(WorkspaceOrder),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  /** The live feed position this page is at least as new as: open the stream from here. */
  watermark: Type.Integer(),
});

export const WorkspaceCounts = Type.Object({
  counts: Type.Record(Type.String(), Type.Integer(), {
    description: 'Orders per status (statuses with none are left out)',
  }),
  active: Type.Integer({ description: 'Orders in work (every status but CLOSED, CANCELLED, REJECTED)' }),
  queue: Type.Integer({ description: 'Approved orders nobody has taken yet' }),
  source: Type.Union([Type.Literal('database'), Type.Literal('cache')]),
});
