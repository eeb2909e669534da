CREATE TABLE catalog_items (
  sku text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL,
  alloy text NOT NULL,
  price_minor bigint NOT NULL CHECK (price_minor >= 0),
  currency text NOT NULL,
  position int NOT NULL,
  active boolean NOT NULL DEFAULT true
);

CREATE SEQUENCE order_number_seq;

CREATE TABLE orders (
  id uuid PRIMARY KEY,
  number text NOT NULL UNIQUE,
  channel text NOT NULL DEFAULT 'b2c',
  kind text NOT NULL CHECK (kind IN ('catalog', 'custom')),
  status text NOT NULL,
  catalog_sku text REFERENCES catalog_items (sku),
  alloy text NOT NULL,
  quantity int NOT NULL CHECK (quantity BETWEEN 1 AND 100),
  customer_name text NOT NULL,
  customer_email text NOT NULL,
  model_key text,
  model_size int,
  list_price_minor bigint,
  price_minor bigint,
  currency text NOT NULL,
  breakdown jsonb,
  tracking_number text,
  rejection_reason text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX orders_by_email ON orders (customer_email, created_at DESC, id DESC);
CREATE INDEX orders_by_created ON orders (created_at DESC, id DESC);

-- The demo collection: rings, pendants and earrings, prices in EUR cents.
INSERT INTO catalog_items (sku, name, description, alloy, price_minor, currency, position) VALUES
  ('RING-TORUS-585', 'Halo ring', 'A smooth 2 mm band, the classic first ring.', 'gold-585', 42900, 'EUR', 1),
  ('RING-TORUS-750', 'Halo ring, 18k', 'The Halo band cast in 18k gold.', 'gold-750', 61900, 'EUR', 2),
  ('RING-SIGNET-925', 'Signet ring', 'A flat-topped signet ready for engraving.', 'silver-925', 14900, 'EUR', 3),
  ('PENDANT-ORB-950', 'Orb pendant', 'A 10 mm platinum sphere on a fine loop.', 'platinum-950', 98900, 'EUR', 4),
  ('PENDANT-CUBE-585', 'Cube pendant', 'A 6 mm cube with softened edges.', 'gold-585', 38900, 'EUR', 5),
  ('EARRING-STUD-925', 'Dot studs (pair)', 'Two 5 mm silver studs.', 'silver-925', 8900, 'EUR', 6);
