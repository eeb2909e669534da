-- The tracker's read model: every order's journey through every service, built from the events
-- they publish; the deadlines each stage must keep; and the incidents that open when an order is
-- late, a message ran out of retries, or an event never reached a service.

-- Adds a deadline to a moment: a fixed number of seconds, or working days (Monday to Friday,
-- UTC), for stages that wait for people who do not work at weekends.
CREATE FUNCTION tracker_deadline(since timestamptz, seconds int, working_days int)
RETURNS timestamptz LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  d timestamptz := since;
  n int := working_days;
BEGIN
  IF seconds IS NOT NULL THEN RETURN since + seconds * interval '1 second'; END IF;
  IF working_days IS NULL THEN RETURN NULL; END IF;
  WHILE n > 0 LOOP
    d := d + interval '1 day';
    IF extract(isodow FROM d AT TIME ZONE 'UTC') < 6 THEN n := n - 1; END IF;
  END LOOP;
  RETURN d;
END $$;

-- How long an order may stay in a status, per channel ('*': any channel; a channel's own row wins).
CREATE TABLE stage_deadlines (
  status text NOT NULL,
  channel text NOT NULL CHECK (channel IN ('*', 'b2c', 'b2b')),
  seconds int CHECK (seconds > 0),
  working_days int CHECK (working_days > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL DEFAULT 'default',
  PRIMARY KEY (status, channel),
  CHECK ((seconds IS NULL) <> (working_days IS NULL))
);
-- Pricing takes minutes at most (it took 2-30 minutes in the old system); a seller approves
-- within a working day; staff look at an unpriceable model within a day; an operator starts
-- within two working days; the carrier confirms within a week.
INSERT INTO stage_deadlines (status, channel, seconds, working_days) VALUES
  ('SUBMITTED', '*', 300, NULL),
  ('PRICE_CALCULATED', '*', NULL, 1),
  ('PRICING_FAILED', '*', NULL, 1),
  ('MANUFACTURING_APPROVED', '*', NULL, 2),
  ('MANUFACTURING_STARTED', '*', NULL, 10),
  ('MANUFACTURING_COMPLETED', '*', NULL, 1),
  ('PACKAGING', '*', NULL, 1),
  ('SHIPPED', '*', 7 * 86400, NULL);

CREATE TABLE journeys (
  order_id uuid PRIMARY KEY,
  order_number text,
  channel text NOT NULL,
  partner_id text,
  status text NOT NULL,
  status_since timestamptz NOT NULL,
  started_at timestamptz NOT NULL,
  submitted_at timestamptz,
  -- When the order must leave its status, and the promise for the whole order (from submission).
  stage_deadline_at timestamptz,
  promise_at timestamptz,
  stage_alerted boolean NOT NULL DEFAULT false,
  promise_alerted boolean NOT NULL DEFAULT false,
  ended_at timestamptz,
  trace_id text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX journeys_stage_due ON journeys (stage_deadline_at)
  WHERE ended_at IS NULL AND NOT stage_alerted AND stage_deadline_at IS NOT NULL;
CREATE INDEX journeys_promise_due ON journeys (promise_at)
  WHERE ended_at IS NULL AND NOT promise_alerted AND promise_at IS NOT NULL;
CREATE INDEX journeys_open_status ON journeys (status) WHERE ended_at IS NULL;

CREATE TABLE journey_steps (
  order_id uuid NOT NULL,
  status text NOT NULL,
  previous_status text,
  event_type text NOT NULL,
  actor text NOT NULL,
  source text NOT NULL,
  occurred_at timestamptz NOT NULL,
  message_id uuid NOT NULL,
  trace_id text,
  PRIMARY KEY (order_id, status)
);
CREATE INDEX journey_steps_time ON journey_steps (occurred_at);

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('late', 'promise', 'dead_letter', 'lost')),
  order_id uuid,
  status text,
  channel text,
  service text,
  event_type text,
  dead_letter_id uuid,
  -- Who can act on it: sellers (approvals), operators (production), administrators (the rest).
  audience text NOT NULL CHECK (audience IN ('seller', 'operator', 'administrator')),
  summary text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  due_at timestamptz,
  opened_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  resolved_at timestamptz,
  resolution text,
  trace_id text
);
-- One open incident per thing that is wrong.
CREATE UNIQUE INDEX incidents_open_once ON incidents (
  kind, coalesce(order_id::text, ''), coalesce(status, ''), coalesce(service, ''),
  coalesce(event_type, ''), coalesce(dead_letter_id::text, '')) WHERE resolved_at IS NULL;
CREATE INDEX incidents_open ON incidents (opened_at DESC) WHERE resolved_at IS NULL;
CREATE INDEX incidents_by_order ON incidents (order_id, opened_at);
CREATE INDEX incidents_recent ON incidents (opened_at DESC);
