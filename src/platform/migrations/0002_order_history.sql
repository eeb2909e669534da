-- Every service keeps the history of the orders it knows: one row per status the order reached,
-- written in the same transaction as the status change (and its outbox row).
CREATE TABLE order_history (
  id bigserial PRIMARY KEY,
  order_id uuid NOT NULL,
  status text NOT NULL,
  previous_status text,
  actor text NOT NULL,
  source text NOT NULL,
  occurred_at timestamptz NOT NULL,
  message_id uuid,
  details jsonb
);
CREATE INDEX order_history_order ON order_history (order_id, id);
-- A status reached twice would mean an effect applied twice: the database refuses it.
CREATE UNIQUE INDEX order_history_once ON order_history (order_id, status);
