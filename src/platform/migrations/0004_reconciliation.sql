-- Reconciliation: the tracker asks every service which orders it handled messages for, and
-- which statuses it made, since a point in time. Both reads walk these indexes.
CREATE INDEX inbox_handled_at ON inbox (handled_at);
CREATE INDEX order_history_source_time ON order_history (occurred_at) INCLUDE (source, status, order_id);
