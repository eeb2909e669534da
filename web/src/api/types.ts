/** Shapes of the HTTP API answers, as described in docs/api.md. */

export type OrderStatus =
  | 'INITIATED'
  | 'FILE_UPLOADED'
  | 'SUBMITTED'
  | 'PRICE_CALCULATED'
  | 'MANUFACTURING_APPROVED'
  | 'MANUFACTURING_STARTED'
  | 'MANUFACTURING_COMPLETED'
  | 'PACKAGING'
  | 'SHIPPED'
  | 'CLOSED'
  | 'CANCELLED'
  | 'REJECTED';

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

export interface PriceBreakdown {
  method: 'catalog' | 'mesh';
  alloy: string;
  volumeMm3?: number;
  densityGPerCm3?: number;
  metalGrams?: number;
  pricePerGramMinor?: number;
  metalMinor: number;
  labourMinor: number;
  triangles?: number;
  total: Money;
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
  price?: Money | null;
  breakdown?: PriceBreakdown | null;
  createdAt?: string;
  updatedAt?: string;
  history?: HistoryEntry[];
  approval?: 'auto' | 'manual' | null;
  operator?: string | null;
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
