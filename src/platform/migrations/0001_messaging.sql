-- Messaging tables every service database holds: the transactional outbox (Debezium-compatible
-- columns plus headers), the inbox of handled messages, and the dead-letter store.
CREATE TABLE outbox (
  seq bigserial UNIQUE,
  id uuid PRIMARY KEY,
  aggregatetype text NOT NULL,
  aggregateid text NOT NULL,
  type text NOT NULL,
  payload jsonb NOT NULL,
  headers jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  lease_owner text,
  lease_until timestamptz,
  publish_attempts int NOT NULL DEFAULT 0
);
CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL;

CREATE TABLE inbox (
  consumer text NOT NULL,
  message_id uuid NOT NULL,
  type text NOT NULL,
  order_id uuid,
  handled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, message_id)
);

CREATE TABLE dead_letters (
  id uuid PRIMARY KEY,
  consumer text NOT NULL,
  message_id uuid,
  type text,
  order_id uuid,
  envelope jsonb NOT NULL,
  error text NOT NULL,
  attempts int NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  replayed_at timestamptz
);
CREATE INDEX dead_letters_open ON dead_letters (created_at) WHERE replayed_at IS NULL;
