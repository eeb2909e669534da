-- Price lists: numbered immutable versions; the highest is the one in force.
CREATE TABLE price_lists (
  version int PRIMARY KEY,
  body jsonb NOT NULL,
  created_by text NOT NULL,
  note text,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- Uploaded models with what the engine measured, so a quote can be asked again without a re-upload.
CREATE TABLE models (
  id uuid PRIMARY KEY,
  storage_key text NOT NULL,
  filename text NOT NULL,
  units text NOT NULL,
  format text NOT NULL,
  bytes bigint NOT NULL,
  figures jsonb NOT NULL,
  validation jsonb NOT NULL,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- Quotes: a binding price with its full breakdown until it expires or an order uses it.
CREATE TABLE quotes (
  id uuid PRIMARY KEY,
  model_id uuid NOT NULL REFERENCES models (id),
  alloy text NOT NULL,
  quantity int NOT NULL,
  stones jsonb NOT NULL,
  price_list_version int NOT NULL REFERENCES price_lists (version),
  breakdown jsonb NOT NULL,
  total_minor bigint NOT NULL,
  currency text NOT NULL,
  requested_by text NOT NULL,
  expires_at timestamptz(3) NOT NULL,
  order_id uuid UNIQUE,
  created_at timestamptz(3) NOT NULL DEFAULT now()
);

-- One price job per submitted order: how it went, for staff and for the order's explanation.
CREATE TABLE price_jobs (
  order_id uuid PRIMARY KEY,
  order_number text NOT NULL,
  channel text NOT NULL,
  status text NOT NULL CHECK (status IN ('priced', 'rejected', 'failed')),
  attempts int NOT NULL,
  payload jsonb NOT NULL,
  breakdown jsonb,
  reason text,
  stage_ms jsonb,
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX price_jobs_failed ON price_jobs (updated_at) WHERE status = 'failed';
