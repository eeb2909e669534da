/** Shapes of the HTTP API answers, as described in docs/api.md. */

/** The statuses are the services' own (src/contracts/statuses.ts), not a copy. */
import type { OrderStatus } from '../../../src/contracts/statuses';

export type { OrderStatus };

export type OrderKind = 'catalog' | 'custom';
export type Channel = 'b2c' | 'b2b';

export interface Money {
  amountMinor: number;
  currency: string;
}

export interface Customer {
  name: string;
  email: string;
}

export type Vec3 = [number, number, number];

/** What the pricing service measured on a model, in mm (after the upload's unit conversion). */
export interface MeshAnalysis {
  triangleCount: number;
  volumeMm3: number;
  areaMm2?: number;
  bbox?: { min: Vec3; max: Vec3 };
  dimensionsMm: Vec3;
}

/**
 * How a price was made, as the services send it: flat amounts (`metalMinor`, `stonesMinor`,
 * `labourMinor`, `marginMinor`) and/or the nested detail of a quote (`metal`, `stones`,
 * `labour`, `margin`); the model's figures as `analysis` or `model`. lib/breakdown.ts reads them.
 */
export interface PriceBreakdown {
  method?: 'catalog' | 'mesh' | 'quote';
  alloy?: string;
  quantity?: number;
  priceListVersion?: number | string;
  quoteId?: string;
  volumeMm3?: number;
  densityGPerCm3?: number;
  metalGrams?: number;
  pricePerGramMinor?: number;
  metalMinor?: number;
  stonesMinor?: number;
  labourMinor?: number;
  marginPercent?: number;
  marginMinor?: number;
  triangles?: number;
  analysis?: Partial<MeshAnalysis>;
  model?: Partial<MeshAnalysis>;
  metal?: { grams: number; pricePerGramMinor: number; amountMinor: number };
  stones?: QuoteStoneLine[];
  /** `amountMinor` in a quote; the labour's parts (`baseMinor`, …) in a mesh price. */
  labour?: { amountMinor?: number } & Record<string, number | undefined>;
  margin?: { percent: number; amountMinor: number };
  total?: Money;
}

/** A price; the MES may nest its breakdown in it. */
export interface Price extends Money {
  breakdown?: PriceBreakdown;
}

export interface HistoryEntry {
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  actor: string;
  occurredAt: string;
  reason?: string;
}

/** An order as any service returns it; fields a service does not know are absent. */
export interface Order {
  id: string;
  number: string;
  status: OrderStatus;
  channel?: Channel;
  kind?: OrderKind;
  catalogSku?: string;
  alloy?: string;
  quantity?: number;
  customer?: Customer;
  model?: { key: string; sizeBytes: number };
  price?: Price | null;
  breakdown?: PriceBreakdown | null;
  /** The raw model file of a custom order (MES views), e.g. `/api/mes/orders/<id>/model`. */
  modelUrl?: string;
  quoteId?: string;
  createdAt?: string;
  updatedAt?: string;
  history?: HistoryEntry[];
  approval?: 'auto' | 'manual' | null;
  operator?: string | null;
  /** MES: the skills an operator needs to make it, and the shipping deadline. */
  requiredSkills?: string[];
  dueAt?: string;
  trackingNumber?: string | null;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface CatalogItem {
  sku: string;
  name: string;
  description: string;
  alloy: string;
  price: Money;
}

export interface Alloy {
  id: string;
  name: string;
  densityGPerCm3: number;
}

// Pricing service, `/api/pricing`.

export type Units = 'mm' | 'cm' | 'm' | 'in';
export type ModelFormat = 'binary' | 'ascii' | 'obj';
/** What a viewer is told about a file: the server's `format`, `stl`, or nothing (then it sniffs). */
export type ModelFormatHint = ModelFormat | 'stl' | undefined;

export interface ModelIssue {
  code: string;
  message: string;
}

export interface ModelInfo {
  id: string;
  filename: string;
  units: Units;
  format: ModelFormat;
  bytes: number;
  analysis: MeshAnalysis;
  validation: { watertight: boolean; issues: ModelIssue[] };
  fileUrl: string;
}

export type ProgressStage = 'parse' | 'analyse' | 'validate' | 'price';

/** One server-sent event of `GET /api/pricing/progress/:id`. */
export type ProgressEvent =
  | { stage: ProgressStage; done: number; total: number }
  | { stage: 'done' }
  | { stage: 'failed'; message: string };

export interface PriceListAlloy {
  id: string;
  name: string;
  densityGPerCm3: number;
  pricePerGramMinor: number;
}

export interface PriceListStone {
  type: string;
  name: string;
  sizes: { sizeMm: number; priceMinor: number }[];
}

export interface PriceList {
  version: string | number;
  currency: string;
  alloys: PriceListAlloy[];
  stones: PriceListStone[];
  marginPercent: number;
}

export interface StoneChoice {
  type: string;
  sizeMm: number;
  count: number;
}

export interface QuoteStoneLine extends StoneChoice {
  unitMinor: number;
  amountMinor: number;
}

export interface Quote {
  id: string;
  modelId: string;
  alloy: string;
  quantity: number;
  stones: StoneChoice[];
  priceListVersion: string | number;
  expiresAt: string;
  metalGrams: number;
  /** The contract's nested shape (`metal`, `stones`, `labour`, `margin`, `total`), or the flat one. */
  breakdown: PriceBreakdown;
  total: Money;
}

// MES operator workspace, `/api/mes`.

export type Skill = 'casting' | 'stone_setting' | 'engraving' | 'polishing';

/** A production order as the workspace lists it and the live stream carries it. */
export interface WorkspaceOrder {
  id: string;
  number: string;
  channel: Channel;
  kind: OrderKind;
  partnerId: string | null;
  customerName: string | null;
  status: OrderStatus;
  operator: string | null;
  requiredSkills: string[];
  alloy: string;
  quantity: number;
  priceMinor: number | null;
  currency: string | null;
  hasModel: boolean;
  dueAt: string;
  /** Past its deadline and still in work (the stream's snapshots leave it out: compute it). */
  overdue: boolean;
  approvedAt: string | null;
  assignedAt: string | null;
  claimedAt: string | null;
  /** The carrier's tracking number, once SHIPPED. */
  trackingNumber: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface WorkspacePage extends Page<WorkspaceOrder> {
  /** The live stream position this page is at least as new as. */
  watermark: number;
}

export interface WorkspaceCounts {
  counts: Partial<Record<OrderStatus, number>>;
  /** Orders in work (every status but CLOSED, CANCELLED, REJECTED). */
  active: number;
  /** Approved orders nobody has taken yet. */
  queue: number;
  source: 'database' | 'cache';
}

/** One `added` / `changed` event of `GET /api/mes/workspace/stream`. */
export interface WorkspaceEvent {
  id: number;
  kind: 'added' | 'changed';
  status: OrderStatus;
  previousStatus: OrderStatus | null;
  operator: string | null;
  previousOperator: string | null;
  at: string;
  order: Omit<WorkspaceOrder, 'overdue'>;
}

export interface OperatorNumbers {
  /** Orders assigned or in work now (counted against the capacity). */
  onHand: number;
  taken: number;
  completed: number;
  /** Mean time from start to completed, or null before the first completed order. */
  averageMakingMs: number | null;
}

export interface Operator {
  id: string;
  name: string;
  email: string | null;
  skills: Skill[];
  capacity: number;
  autoAssign: boolean;
  notifyEmail: boolean;
  active: boolean;
  numbers: OperatorNumbers;
}

/** The body of `PUT /api/mes/operators/:id`. */
export interface OperatorInput {
  name: string;
  email: string | null;
  skills: Skill[];
  capacity: number;
  autoAssign: boolean;
  notifyEmail: boolean;
  active: boolean;
}

export type AssignmentAction = 'claim' | 'auto' | 'assign' | 'reassign' | 'release';

/** One entry of the assignment audit trail, `GET /api/mes/assignments`. */
export interface AssignmentEntry {
  id: number;
  orderId: string;
  orderNumber: string;
  action: AssignmentAction;
  fromOperator: string | null;
  toOperator: string | null;
  actor: string;
  reason: string | null;
  at: string;
}
