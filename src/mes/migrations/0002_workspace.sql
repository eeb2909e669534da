-- The operator workspace. Production orders are range-partitioned on archive_month:
--   * production_orders_active holds every order still in work (archive_month = 'infinity'),
--     the small set the workspace reads;
--   * an order that ends (CLOSED, CANCELLED, REJECTED) moves to the partition of the month it
--     ended in, production_orders_yYYYYmMM, which can be detached when it is no longer needed;
--   * production_orders_archive catches months with no partition of their own yet.
-- `npm run bench:dashboard` compares this with one partition per status and with one table with
-- partial indexes; the README gives the figures behind the choice.
ALTER TABLE production_orders RENAME TO production_orders_v1;
DROP INDEX production_queue;
DROP INDEX production_by_operator;
DROP INDEX production_by_created;

CREATE TABLE production_orders (
  id uuid NOT NULL,
  number text NOT NULL,
  channel text NOT NULL,
  kind text NOT NULL,
  partner_id text,
  customer_name text,
  status text NOT NULL,
  catalog_sku text,
  alloy text NOT NULL,
  quantity int NOT NULL,
  list_price_minor bigint,
  model_key text,
  price_minor bigint,
  currency text,
  breakdown jsonb,
  pricing_ms double precision,
  -- Skills an operator needs to make the piece; an operator may take it when theirs cover them.
  required_skills text[] NOT NULL DEFAULT '{casting,polishing}',
  operator text,
  approved_at timestamptz(3),
  assigned_at timestamptz(3),
  claimed_at timestamptz(3),
  completed_at timestamptz(3),
  due_at timestamptz(3) NOT NULL,
  tracking_number text,
  rejection_reason text,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now(),
  archive_month date NOT NULL DEFAULT 'infinity',
  -- The partition key must be part of the key; ids are UUIDs and the inbox drops repeated
  -- deliveries, so (id, archive_month) never holds one order twice.
  PRIMARY KEY (id, archive_month)
) PARTITION BY RANGE (archive_month);

CREATE TABLE production_orders_active PARTITION OF production_orders
  FOR VALUES FROM ('infinity') TO (MAXVALUE);
CREATE TABLE production_orders_archive PARTITION OF production_orders DEFAULT;

-- Every partition: the whole list newest first, search by number and customer, an operator's
-- history, a partner's orders.
CREATE INDEX production_by_created ON production_orders (created_at DESC, id DESC);
CREATE INDEX production_by_number ON production_orders (number text_pattern_ops);
CREATE INDEX production_by_customer ON production_orders (lower(customer_name) text_pattern_ops);
CREATE INDEX production_by_operator ON production_orders (operator, created_at DESC, id DESC)
  WHERE operator IS NOT NULL;
CREATE INDEX production_by_partner ON production_orders (partner_id, created_at DESC, id DESC)
  WHERE partner_id IS NOT NULL;

-- The active partition only: each workspace sort in index order, no sort step.
CREATE INDEX active_by_status_age ON production_orders_active (status, created_at DESC, id DESC);
CREATE INDEX active_by_status_due ON production_orders_active (status, due_at, id);
CREATE INDEX active_by_due ON production_orders_active (due_at, id);
CREATE INDEX active_by_operator_status ON production_orders_active (operator, status, created_at DESC, id DESC)
  WHERE operator IS NOT NULL;
-- The queue: approved and nobody's yet, oldest approval first, or earliest deadline first.
CREATE INDEX active_queue_by_age ON production_orders_active (approved_at, id)
  WHERE status = 'MANUFACTURING_APPROVED' AND operator IS NULL;
CREATE INDEX active_queue_by_due ON production_orders_active (due_at, id)
  WHERE status = 'MANUFACTURING_APPROVED' AND operator IS NULL;

-- Creates the archive partition of one month if it is missing (called at start for the months
-- around now, so orders that end land in a partition that can be detached on its own).
CREATE FUNCTION mes_ensure_archive_month(month date) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', month)::date;
  name text := 'production_orders_y' || to_char(first, 'YYYY') || 'm' || to_char(first, 'MM');
BEGIN
  IF to_regclass(name) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF production_orders FOR VALUES FROM (%L) TO (%L)',
                   name, first, (first + interval '1 month')::date);
  END IF;
  RETURN name;
END $$;

-- Detaches one month's archive partition: it leaves the workspace (and its counts) and stays in
-- the database as a plain table, to dump and drop. Returns how many orders left.
CREATE FUNCTION mes_detach_archive_month(month date) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  first date := date_trunc('month', month)::date;
  name text := 'production_orders_y' || to_char(first, 'YYYY') || 'm' || to_char(first, 'MM');
  moved bigint := 0;
BEGIN
  IF to_regclass(name) IS NULL THEN
    RAISE EXCEPTION 'no archive partition %', name USING ERRCODE = 'undefined_table';
  END IF;
  EXECUTE format(
    'INSERT INTO production_status_deltas (status, delta) SELECT status, -count(*) FROM %I GROUP BY status',
    name);
  EXECUTE format('SELECT count(*) FROM %I', name) INTO moved;
  EXECUTE format('ALTER TABLE production_orders DETACH PARTITION %I', name);
  RETURN moved;
END $$;

-- Orders per status, kept in the same transaction as every change, so the workspace reads its
-- counts, never computes them with count(*). The trigger only appends deltas: no change waits
-- on a hot counter row, and two changes never deadlock over two of them. A roll-up
-- (mes_roll_up, four times a second) folds the deltas into the totals in one transaction, so the view
-- is exact in any snapshot. The row 'QUEUE' counts approved orders nobody has yet.
CREATE TABLE production_status_totals (
  status text PRIMARY KEY,
  orders bigint NOT NULL DEFAULT 0
);
CREATE TABLE production_status_deltas (
  status text NOT NULL,
  delta int NOT NULL
);
CREATE VIEW production_status_counts AS
  SELECT status, sum(orders)::bigint AS orders
  FROM (SELECT status, orders FROM production_status_totals
        UNION ALL SELECT status, delta FROM production_status_deltas) AS t
  GROUP BY status;

-- The operators: skills, capacity, whether the assigner gives them work, whether they want e-mail.
CREATE TABLE operators (
  id text PRIMARY KEY,
  name text NOT NULL,
  email text,
  skills text[] NOT NULL,
  capacity int NOT NULL CHECK (capacity BETWEEN 1 AND 100),
  auto_assign boolean NOT NULL DEFAULT false,
  notify_email boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  updated_at timestamptz(3) NOT NULL DEFAULT now()
);

-- Each operator's own numbers, kept the same way: orders on hand (assigned or in work), taken,
-- completed and the summed making time (claimed → completed). operator_stats holds the rolled-up
-- figures and is the row a claim or the assigner locks to take turns on one operator;
-- operator_numbers adds the deltas not rolled up yet.
CREATE TABLE operator_stats (
  operator text PRIMARY KEY,
  on_hand int NOT NULL DEFAULT 0,
  taken bigint NOT NULL DEFAULT 0,
  completed bigint NOT NULL DEFAULT 0,
  making_ms bigint NOT NULL DEFAULT 0,
  last_assigned_at timestamptz(3)
);
CREATE TABLE operator_stat_deltas (
  operator text NOT NULL,
  on_hand int NOT NULL DEFAULT 0,
  taken int NOT NULL DEFAULT 0,
  completed int NOT NULL DEFAULT 0,
  making_ms bigint NOT NULL DEFAULT 0,
  assigned_at timestamptz(3)
);
CREATE VIEW operator_numbers AS
  SELECT s.operator,
         s.on_hand + COALESCE(d.on_hand, 0) AS on_hand,
         s.taken + COALESCE(d.taken, 0) AS taken,
         s.completed + COALESCE(d.completed, 0) AS completed,
         s.making_ms + COALESCE(d.making_ms, 0) AS making_ms,
         GREATEST(s.last_assigned_at, d.assigned_at) AS last_assigned_at
  FROM operator_stats s
  LEFT JOIN (SELECT operator, sum(on_hand) AS on_hand, sum(taken) AS taken, sum(completed) AS completed,
                    sum(making_ms) AS making_ms, max(assigned_at) AS assigned_at
             FROM operator_stat_deltas GROUP BY operator) d ON d.operator = s.operator;

-- Folds the deltas into the totals. One instance at a time (the others skip); the operators'
-- rows are locked in id order first, the order claims and the assigner use, so it cannot
-- deadlock with them.
CREATE FUNCTION mes_roll_up() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  ops text[];
BEGIN
  IF NOT pg_try_advisory_xact_lock(7243003) THEN RETURN; END IF;
  WITH moved AS (DELETE FROM production_status_deltas RETURNING status, delta)
  INSERT INTO production_status_totals AS t (status, orders)
  SELECT status, sum(delta) FROM moved GROUP BY status
  ON CONFLICT (status) DO UPDATE SET orders = t.orders + EXCLUDED.orders;

  INSERT INTO operator_stats (operator) SELECT DISTINCT operator FROM operator_stat_deltas ON CONFLICT DO NOTHING;
  SELECT array_agg(operator) INTO ops FROM (
    SELECT operator FROM operator_stats
    WHERE operator IN (SELECT operator FROM operator_stat_deltas) ORDER BY operator FOR UPDATE) AS locked;
  IF ops IS NULL THEN RETURN; END IF;
  WITH moved AS (DELETE FROM operator_stat_deltas WHERE operator = ANY(ops) RETURNING *),
       sums AS (SELECT operator, sum(on_hand) AS on_hand, sum(taken) AS taken, sum(completed) AS completed,
                       sum(making_ms) AS making_ms, max(assigned_at) AS assigned_at
                FROM moved GROUP BY operator)
  UPDATE operator_stats s SET on_hand = s.on_hand + sums.on_hand, taken = s.taken + sums.taken,
    completed = s.completed + sums.completed, making_ms = s.making_ms + sums.making_ms,
    last_assigned_at = GREATEST(s.last_assigned_at, sums.assigned_at)
  FROM sums WHERE s.operator = sums.operator;
END $$;

-- Who gave which order to whom, and why: claims, the assigner, an administrator's reassignment
-- or release.
CREATE TABLE assignment_audit (
  id bigserial PRIMARY KEY,
  order_id uuid NOT NULL,
  order_number text NOT NULL,
  action text NOT NULL CHECK (action IN ('claim', 'auto', 'assign', 'reassign', 'release')),
  from_operator text,
  to_operator text,
  actor text NOT NULL,
  reason text,
  at timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX assignment_audit_order ON assignment_audit (order_id, id);
CREATE INDEX assignment_audit_recent ON assignment_audit (id DESC);

-- The live feed: one row per change the workspace shows, written by the trigger in the change's
-- transaction. Its id is the SSE event id, so a reconnecting workspace asks for what followed
-- the last id it saw (Last-Event-ID).
CREATE TABLE workspace_events (
  id bigserial PRIMARY KEY,
  order_id uuid NOT NULL,
  kind text NOT NULL,
  status text NOT NULL,
  previous_status text,
  operator text,
  previous_operator text,
  at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
  snapshot jsonb NOT NULL
);
CREATE INDEX workspace_events_at ON workspace_events (at);

-- Work statuses count against an operator's capacity (an assigned order waits in APPROVED).
CREATE FUNCTION mes_on_hand(status text, operator text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT operator IS NOT NULL AND status IN
    ('MANUFACTURING_APPROVED', 'MANUFACTURING_STARTED', 'MANUFACTURING_COMPLETED', 'PACKAGING')
$$;

-- One trigger keeps the counts, the operators' numbers and the live feed. An UPDATE that moves a
-- row to an archive partition reaches AFTER triggers as a DELETE from the active partition and
-- an INSERT into the archive one (PostgreSQL's row movement), which the branches below expect.
CREATE FUNCTION mes_production_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  old_status text;
  old_operator text;
  completes boolean;
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.status = OLD.status AND NEW.operator IS NOT DISTINCT FROM OLD.operator THEN
    RETURN NULL; -- a price or a date changed: nothing counted or listed moved
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    INSERT INTO production_status_deltas (status, delta) VALUES (OLD.status, -1);
    IF OLD.status = 'MANUFACTURING_APPROVED' AND OLD.operator IS NULL THEN
      INSERT INTO production_status_deltas (status, delta) VALUES ('QUEUE', -1);
    END IF;
    IF mes_on_hand(OLD.status, OLD.operator) THEN
      INSERT INTO operator_stat_deltas (operator, on_hand) VALUES (OLD.operator, -1);
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN NULL; END IF;
    old_status := OLD.status;
    old_operator := OLD.operator;
  END IF;

  INSERT INTO production_status_deltas (status, delta) VALUES (NEW.status, 1);
  IF NEW.status = 'MANUFACTURING_APPROVED' AND NEW.operator IS NULL THEN
    INSERT INTO production_status_deltas (status, delta) VALUES ('QUEUE', 1);
  END IF;
  IF NEW.operator IS NOT NULL THEN
    completes := NEW.status = 'MANUFACTURING_COMPLETED' AND old_status IS DISTINCT FROM NEW.status;
    INSERT INTO operator_stat_deltas (operator, on_hand, taken, completed, making_ms, assigned_at)
    VALUES (NEW.operator,
            CASE WHEN mes_on_hand(NEW.status, NEW.operator) THEN 1 ELSE 0 END,
            CASE WHEN NEW.operator IS DISTINCT FROM old_operator AND TG_OP = 'UPDATE' THEN 1 ELSE 0 END,
            CASE WHEN completes THEN 1 ELSE 0 END,
            CASE WHEN completes
                 THEN COALESCE((extract(epoch FROM NEW.completed_at - NEW.claimed_at) * 1000)::bigint, 0) ELSE 0 END,
            CASE WHEN NEW.operator IS DISTINCT FROM old_operator AND TG_OP = 'UPDATE' THEN NEW.updated_at END);
  END IF;

  INSERT INTO workspace_events (order_id, kind, status, previous_status, operator, previous_operator, snapshot)
  VALUES (NEW.id,
          CASE WHEN TG_OP = 'INSERT' AND NEW.archive_month = 'infinity' THEN 'added' ELSE 'changed' END,
          NEW.status, old_status, NEW.operator, old_operator,
          jsonb_build_object(
            'id', NEW.id, 'number', NEW.number, 'channel', NEW.channel, 'kind', NEW.kind,
            'partnerId', NEW.partner_id, 'customerName', NEW.customer_name, 'status', NEW.status,
            'operator', NEW.operator, 'requiredSkills', to_jsonb(NEW.required_skills), 'alloy', NEW.alloy,
            'quantity', NEW.quantity, 'priceMinor', NEW.price_minor, 'currency', NEW.currency,
            'hasModel', NEW.model_key IS NOT NULL, 'dueAt', NEW.due_at, 'approvedAt', NEW.approved_at,
            'assignedAt', NEW.assigned_at, 'claimedAt', NEW.claimed_at, 'trackingNumber', NEW.tracking_number,
            'createdAt', NEW.created_at,
            'updatedAt', NEW.updated_at));
  RETURN NULL;
END $$;

CREATE TRIGGER production_changed AFTER INSERT OR UPDATE OR DELETE ON production_orders
  FOR EACH ROW EXECUTE FUNCTION mes_production_changed();

-- Settings of this MES database. cache_namespace keeps the cache keys of MES databases that
-- share one Redis apart (instances of one MES share it).
CREATE TABLE mes_settings (
  name text PRIMARY KEY,
  value text NOT NULL
);
INSERT INTO mes_settings (name, value) VALUES ('cache_namespace', gen_random_uuid()::text);

-- Orders already here move across: active ones to the active partition, ended ones to the month
-- they were last updated in. The trigger counts them as they arrive.
INSERT INTO production_orders (id, number, channel, kind, partner_id, status, catalog_sku, alloy, quantity,
  list_price_minor, model_key, price_minor, currency, breakdown, pricing_ms, operator, approved_at,
  claimed_at, due_at, tracking_number, rejection_reason, created_at, updated_at, archive_month)
SELECT id, number, channel, kind, partner_id, status, catalog_sku, alloy, quantity,
  list_price_minor, model_key, price_minor, currency, breakdown, pricing_ms, operator, approved_at,
  claimed_at, created_at + interval '21 days', tracking_number, rejection_reason, created_at, updated_at,
  CASE WHEN status IN ('CLOSED', 'CANCELLED', 'REJECTED') THEN date_trunc('month', updated_at)::date
       ELSE 'infinity' END
FROM production_orders_v1;
INSERT INTO operator_stat_deltas (operator, taken)
  SELECT operator, count(*) FROM production_orders_v1 WHERE operator IS NOT NULL GROUP BY operator;
SELECT mes_roll_up();
DROP TABLE production_orders_v1;
-- The copied rows are history, not news.
DELETE FROM workspace_events;
