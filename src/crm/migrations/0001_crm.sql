-- The sales view of every order, whichever channel it came from.
CREATE TABLE orders (
  id uuid PRIMARY KEY,
  number text NOT NULL,
  channel text NOT NULL,
  kind text NOT NULL,
  partner_id text,
  status text NOT NULL,
  catalog_sku text,
  alloy text NOT NULL,
  quantity int NOT NULL,
  customer_name text,
  customer_email text,
  price_minor bigint,
  currency text,
  breakdown jsonb,
  approval text CHECK (approval IN ('auto', 'manual')),
  approved_by text,
  awaiting_approval boolean NOT NULL DEFAULT false,
  tracking_number text,
  rejection_reason text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX orders_awaiting ON orders (created_at, id) WHERE awaiting_approval;
CREATE INDEX orders_by_status ON orders (status, created_at DESC, id DESC);
CREATE INDEX orders_by_created ON orders (created_at DESC, id DESC);
CREATE UNIQUE INDEX orders_by_tracking ON orders (tracking_number) WHERE tracking_number IS NOT NULL;
