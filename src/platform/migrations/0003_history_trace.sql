-- The trace each status change happened in (a W3C traceparent), so a person acting on the order
-- later can link their request's trace to it, and the order's journey can point to its traces.
ALTER TABLE order_history ADD COLUMN traceparent text;
