-- Steps are only ever appended (one per order and status, never updated or deleted), so their
-- physical order follows occurred_at: a BRIN index serves the reconciliation's and the pipeline
-- view's time windows as the B-tree did, and costs an insert nothing (see the platform's
-- 0005_lighter_indexes.sql).
DROP INDEX journey_steps_time;
CREATE INDEX journey_steps_time ON journey_steps USING brin (occurred_at)
  WITH (pages_per_range = 16, autosummarize = on);
