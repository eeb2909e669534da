import type { Static } from '@sinclair/typebox';
import type { OrderView } from '../../contracts/api.js';
import type { HistoryEntry } from './history.js';

/**
 * The columns services share for their copy of an order. Each service's table has these (plus
 * its own), so one mapper turns a row into the API's order shape.
 */
export interface OrderRow {
  id: string;
  number: string;
  channel: 'b2c' | 'b2b';
  kind: 'catalog' | 'custom';
  status: Static<typeof OrderView>['status'];
  catalog_sku?: string | null;
  alloy: string;
  quantity: number;
  reference?: string | null;
  partner_id?: string | null;
  customer_name?: string | null;
  customer_email?: string | null;
  model_key?: string | null;
  /** The pricing quote the order was placed from (shop and partner orders). */
  quote_id?: string | null;
  model_size?: number | null;
  price_minor?: number | null;
  list_price_minor?: number | null;
  currency?: string | null;
  breakdown?: Static<typeof OrderView>['breakdown'] | null;
  tracking_number?: string | null;
  rejection_reason?: string | null;
  created_at: string;
  updated_at: string;
}

export function toOrderView(row: OrderRow, history?: HistoryEntry[]): Static<typeof OrderView> {
  const v: Static<typeof OrderView> = {
    id: row.id,
    number: row.number,
    channel: row.channel,
    kind: row.kind,
    status: row.status,
    alloy: row.alloy,
    quantity: row.quantity,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (row.catalog_sku) v.catalogSku = row.catalog_sku;
  if (row.reference) v.reference = row.reference;
  if (row.partner_id) v.partnerId = row.partner_id;
  if (row.customer_name && row.customer_email)
    v.customer = { name: row.customer_name, email: row.customer_email };
  if (row.model_key) v.model = { key: row.model_key, sizeBytes: row.model_size ?? 0 };
  if (row.quote_id) v.quoteId = row.quote_id;
  if (row.price_minor != null && row.currency)
    v.price = { amountMinor: row.price_minor, currency: row.currency };
  if (row.breakdown) v.breakdown = row.breakdown;
  if (row.tracking_number !== undefined) v.trackingNumber = row.tracking_number;
  if (row.rejection_reason !== undefined) v.rejectionReason = row.rejection_reason;
  if (history) v.history = history;
  return v;
}
