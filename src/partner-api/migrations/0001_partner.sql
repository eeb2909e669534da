CREATE TABLE partners (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  -- Only a SHA-256 of the key is kept: keys are 256-bit random, so a fast hash is enough and a
  -- stolen table gives no usable key. The prefix lets a partner recognise which key is which.
  key_hash text NOT NULL UNIQUE,
  key_prefix text NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

CREATE SEQUENCE order_number_seq;

CREATE TABLE orders (
  id uuid PRIMARY KEY,
  number text NOT NULL UNIQUE,
  partner_id uuid NOT NULL REFERENCES partners (id),
  reference text,
  channel text NOT NULL DEFAULT 'b2b',
  kind text NOT NULL DEFAULT 'custom',
  status text NOT NULL,
  alloy text NOT NULL,
  quantity int NOT NULL CHECK (quantity BETWEEN 1 AND 100),
  customer_name text NOT NULL,
  customer_email text NOT NULL,
  model_key text NOT NULL,
  model_size int NOT NULL,
  price_minor bigint,
  currency text,
  breakdown jsonb,
  tracking_number text,
  rejection_reason text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX orders_by_partner ON orders (partner_id, created_at DESC, id DESC);

CREATE TABLE idempotency_keys (
  partner_id uuid NOT NULL REFERENCES partners (id),
  key text NOT NULL,
  request_hash text NOT NULL,
  order_id uuid NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, key)
);
