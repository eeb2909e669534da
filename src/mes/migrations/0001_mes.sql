-- Production orders: every submitted order becomes one, priced here, then queued once approved.
CREATE TABLE production_orders (
  id uuid PRIMARY KEY,
  number text NOT NULL,
  channel text NOT NULL,
  kind text NOT NULL,
  partner_id text,
  status text NOT NULL,
  catalog_sku text,
  alloy text NOT NULL,
  quantity int NOT NULL,
  list_price_minor bigint,
  model_key text,
  price_minor bigint,
  currency text,
  breakdown jsonb,
  pricing_ms double precision,
  operator text,
  approved_at timestamptz(3),
  claimed_at timestamptz,
  tracking_number text UNIQUE,
  rejection_reason text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
-- The production queue: approved orders, oldest approval first.
CREATE INDEX production_queue ON production_orders (approved_at, id) WHERE status = 'MANUFACTURING_APPROVED';
CREATE INDEX production_by_operator ON production_orders (operator, created_at DESC, id DESC) WHERE operator IS NOT NULL;
CREATE INDEX production_by_created ON production_orders (created_at DESC, id DESC);
