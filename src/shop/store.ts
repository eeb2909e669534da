import { decodeCursor, page } from '../platform/http/cursor.js';
import type { Queryable } from '../platform/db/types.js';
import { orderTable } from '../platform/orders/table.js';
import type { OrderRow } from '../platform/orders/view.js';

export interface CatalogItem {
  sku: string;
  name: string;
  description: string;
  alloy: string;
  price: { amountMinor: number; currency: string };
}

export async function listCatalog(q: Queryable): Promise<CatalogItem[]> {
  const rows = await q.query<{
    sku: string;
    name: string;
    description: string;
    alloy: string;
    price_minor: number;
    currency: string;
  }>(
    'SELECT sku, name, description, alloy, price_minor, currency FROM catalog_items WHERE active ORDER BY position',
  );
  return rows.rows.map((r) => ({
    sku: r.sku,
    name: r.name,
    description: r.description,
    alloy: r.alloy,
    price: { amountMinor: r.price_minor, currency: r.currency },
  }));
}

export interface NewShopOrder {
  id: string;
  kind: 'catalog' | 'custom';
  catalogSku: string | null;
  alloy: string;
  quantity: number;
  customer: { name: string; email: string };
  listPriceMinor: number | null;
  currency: string;
  /** Orders from a quote: the quote, its model and the price it binds. */
  quote?: { id: string; modelKey: string; priceMinor: number; currency: string };
}

export async function insertOrder(q: Queryable, o: NewShopOrder): Promise<OrderRow> {
  const r = await q.query<OrderRow>(
    `INSERT INTO orders (id, number, kind, status, catalog_sku, alloy, quantity, customer_name, customer_email,
                         list_price_minor, currency, quote_id, model_key, price_minor)
     VALUES ($1, 'S-' || lpad(nextval('order_number_seq')::text, 7, '0'), $2, 'INITIATED', $3, $4, $5, $6, $7, $8, $9,
             $10, $11, $12)
     RETURNING *`,
    [
      o.id,
      o.kind,
      o.catalogSku,
      o.alloy,
      o.quantity,
      o.customer.name,
      o.customer.email,
      o.listPriceMinor,
      o.quote?.currency ?? o.currency,
      o.quote?.id ?? null,
      o.quote?.modelKey ?? null,
      o.quote?.priceMinor ?? null,
    ],
  );
  return r.rows[0] as OrderRow;
}

export const getOrder = orderTable<OrderRow>('orders').get;

export async function setStatus(
  q: Queryable,
  id: string,
  status: string,
  extra: { modelKey?: string; modelSize?: number } = {},
) {
  const r = await q.query<OrderRow>(
    `UPDATE orders SET status = $2, model_key = COALESCE($3, model_key), model_size = COALESCE($4, model_size),
            updated_at = now() WHERE id = $1 RETURNING *`,
    [id, status, extra.modelKey ?? null, extra.modelSize ?? null],
  );
  return r.rows[0] as OrderRow;
}

export async function listOrders(
  q: Queryable,
  f: { email?: string; status?: string; limit: number; after?: string },
): Promise<{ items: OrderRow[]; nextCursor: string | null }> {
  const cursor = decodeCursor(f.after);
  const rows = await q.query<OrderRow>(
    `SELECT * FROM orders
     WHERE ($1::text IS NULL OR customer_email = $1)
       AND ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR (created_at, id) < ($3::timestamptz, $4::uuid))
     ORDER BY created_at DESC, id DESC LIMIT $5`,
    [f.email ?? null, f.status ?? null, cursor?.at ?? null, cursor?.id ?? null, f.limit + 1],
  );
  return page(rows.rows, f.limit, (r) => ({ at: r.created_at, id: r.id }));
}
