-- The embedded broker's own database: messages, which consumers are bound to which topics, and
-- one delivery row per (consumer, message) until the consumer acknowledges it.
CREATE TABLE broker_messages (
  id uuid PRIMARY KEY,
  type text NOT NULL,
  body jsonb NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE broker_bindings (
  consumer text NOT NULL,
  pattern text NOT NULL,
  PRIMARY KEY (consumer, pattern)
);

CREATE TABLE broker_deliveries (
  seq bigserial,
  consumer text NOT NULL,
  message_id uuid NOT NULL REFERENCES broker_messages (id) ON DELETE CASCADE,
  attempt int NOT NULL DEFAULT 0,
  delivered_count int NOT NULL DEFAULT 0,
  available_at timestamptz NOT NULL DEFAULT now(),
  leased_until timestamptz,
  PRIMARY KEY (consumer, message_id)
);
CREATE INDEX broker_deliveries_due ON broker_deliveries (consumer, available_at, seq);
