-- Fewer index entries per message. Every service appends to these tables for each event it makes
-- or handles, so each index is one more B-tree insert (and its WAL) per row: pg_waldump of the
-- pipeline benchmark counted about 77 B-tree inserts per order, a third of them in these tables.
--   * order_history_order (order_id, id) repeated what the unique (order_id, status) index finds:
--     an order's few rows, sorted in memory.
--   * outbox.seq needs no unique index: a sequence hands out each value once, and the relay finds
--     unsent rows in seq order through outbox_unsent.
--   * The reconciliation reads rows since a point in time from tables that are only ever appended
--     to (no history or inbox row is updated or deleted), so their physical order follows time
--     and a BRIN index of a few pages finds them. Inserting costs it nothing until a vacuum
--     summarizes the new pages; until then a scan reads those pages whole, and they hold the
--     recent rows it is looking for.
DROP INDEX order_history_order;
ALTER TABLE outbox DROP CONSTRAINT outbox_seq_key;
DROP INDEX inbox_handled_at;
CREATE INDEX inbox_handled_at ON inbox USING brin (handled_at) WITH (pages_per_range = 16);
DROP INDEX order_history_source_time;
CREATE INDEX order_history_time ON order_history USING brin (occurred_at) WITH (pages_per_range = 16);
