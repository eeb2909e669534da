/** Response shapes of the pricing API, and the rows they are built from. */
import { Type } from '@sinclair/typebox';
import { PriceBreakdown } from '../../contracts/events.js';
import type { ModelRow, QuoteRow } from '../store.js';

const Vec3 = Type.Tuple([Type.Number(), Type.Number(), Type.Number()]);

export const ModelInfo = Type.Object({
  id: Type.String({ format: 'uuid' }),
  filename: Type.String(),
  units: Type.String(),
  format: Type.String({ description: 'binary, ascii (STL) or obj' }),
  bytes: Type.Integer(),
  analysis: Type.Object({
    triangleCount: Type.Integer(),
    volumeMm3: Type.Number(),
    areaMm2: Type.Number(),
    dimensionsMm: Vec3,
    bbox: Type.Object({ min: Vec3, max: Vec3 }),
  }),
  validation: Type.Object({
    watertight: Type.Boolean(),
    openEdges: Type.Integer(),
    nonManifoldEdges: Type.Integer(),
    misorientedEdges: Type.Optional(Type.Integer()),
    degenerateTriangles: Type.Integer(),
    nonFiniteCoordinates: Type.Optional(Type.Integer()),
    inverted: Type.Boolean(),
    issues: Type.Array(Type.Object({ code: Type.String(), message: Type.String() })),
  }),
  fileUrl: Type.String(),
  createdAt: Type.String(),
});

export function modelView(m: ModelRow, prefix: string) {
  const { triangleCount, volumeMm3, areaMm2, dimensionsMm, bbox } = m.figures;
  return {
    id: m.id,
    filename: m.filename,
    units: m.units,
    format: m.format,
    bytes: Number(m.bytes),
    analysis: {
      triangleCount,
      volumeMm3,
      areaMm2,
      dimensionsMm,
      bbox: bbox ?? { min: [0, 0, 0], max: dimensionsMm },
    },
    validation: m.validation,
    fileUrl: `${prefix}/models/${m.id}/file`,
    createdAt: m.created_at,
  };
}

const Stone = Type.Object({ type: Type.String(), sizeMm: Type.Number(), count: Type.Integer() });

export const QuoteView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  modelId: Type.String({ format: 'uuid' }),
  modelKey: Type.String({
    description: 'Storage key of the model; an order placed from the quote refers to it',
  }),
  alloy: Type.String(),
  quantity: Type.Integer(),
  stones: Type.Array(Stone),
  priceListVersion: Type.Integer(),
  metalGrams: Type.Number(),
  breakdown: PriceBreakdown,
  total: Type.Object({ amountMinor: Type.Integer(), currency: Type.String() }),
  expiresAt: Type.String(),
  expired: Type.Boolean(),
  orderId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

export function quoteView(q: QuoteRow, modelKey: string) {
  return {
    id: q.id,
    modelId: q.model_id,
    modelKey,
    alloy: q.alloy,
    quantity: q.quantity,
    stones: q.stones,
    priceListVersion: q.price_list_version,
    metalGrams: q.breakdown.metalGrams ?? 0,
    breakdown: q.breakdown,
    total: q.breakdown.total,
    expiresAt: q.expires_at,
    expired: Date.parse(q.expires_at) <= Date.now(),
    orderId: q.order_id,
    createdAt: q.created_at,
  };
}
