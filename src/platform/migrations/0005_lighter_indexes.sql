-- Fewer index entries per message. Every service appends to these tables for each event it makes
-- or handles, so each index is one more B-tree insert (and its WAL) per row: in pg_waldump of the
-- pipeline benchmark, B-tree inserts were 55% of the WAL records (about 160 per order), and more
-- than half of them were in these three tables.
--   * order_history_order (order_id, id) repeated what the unique (order_id, status) index finds:
--     an order's few rows, sorted in memory.
--   * outbox.seq needs no unique index: a sequence hands out each value once, and the relay finds
--     unsent rows in seq order through outbox_unsent.
--   * The reconciliation reads rows since a point in time from tables that are only ever appended
--     to (no history or inbox row is updated or deleted), so their physical order follows time
--     and a BRIN index of a few pages finds them. An insert costs it nothing: a range is summarized
--     once it is full, by autovacuum (autosummarize) or, on PGlite, which has no autovacuum, by
--     the service (brin-upkeep.ts). A scan reads the ranges not summarized yet whole.
DROP INDEX order_history_order;
ALTER TABLE outbox DROP CONSTRAINT outbox_seq_key;
DROP INDEX inbox_handled_at;
CREATE INDEX inbox_handled_at ON inbox USING brin (handled_at) WITH (pages_per_range = 16, autosummarize = on);
DROP INDEX order_history_source_time;
CREATE INDEX order_history_time ON order_history USING brin (occurred_at)
  WITH (pages_per_range = 16, autosummarize = on);
