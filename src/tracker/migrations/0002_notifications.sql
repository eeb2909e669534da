-- Notifications: every incident that opens or resolves, and every alert Alertmanager sends to
-- the webhook, becomes a notification for the people who can act (sellers, operators,
-- administrators): shown live in the web app, and e-mailed to the audience's subscribers through
-- the e-mail outbox, all in the transaction that opened the incident.
CREATE TABLE notifications (
  id bigserial PRIMARY KEY,
  audience text NOT NULL CHECK (audience IN ('seller', 'operator', 'administrator')),
  source text NOT NULL CHECK (source IN ('incident', 'alert')),
  state text NOT NULL CHECK (state IN ('open', 'resolved')),
  severity text NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
  incident_id uuid REFERENCES incidents (id),
  order_id uuid,
  alert_name text,
  title text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX notifications_by_audience ON notifications (audience, id);

-- Who is e-mailed for an audience (set by an administrator through the API).
CREATE TABLE notification_subscribers (
  audience text NOT NULL CHECK (audience IN ('seller', 'operator', 'administrator')),
  email text NOT NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (audience, email)
);

-- An incident opening or resolving notifies its audience, in the same transaction.
CREATE FUNCTION tracker_incident_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO notifications (audience, source, state, severity, incident_id, order_id, title, body)
    VALUES (NEW.audience, 'incident', 'open',
            CASE WHEN NEW.kind IN ('lost', 'dead_letter', 'promise') THEN 'critical' ELSE 'warning' END,
            NEW.id, NEW.order_id, NEW.summary,
            CASE NEW.kind
              WHEN 'late' THEN 'Move the order on, or tell the customer. The incident closes when it moves.'
              WHEN 'promise' THEN 'The order missed its delivery promise. Tell the customer and speed it up.'
              WHEN 'dead_letter' THEN 'Fix the cause, then retry the message from the operations view.'
              ELSE 'Retry the event from the operations view; the incident closes when the service has it.'
            END);
  ELSIF NEW.resolved_at IS NOT NULL AND OLD.resolved_at IS NULL THEN
    INSERT INTO notifications (audience, source, state, severity, incident_id, order_id, title, body)
    VALUES (NEW.audience, 'incident', 'resolved', 'info', NEW.id, NEW.order_id,
            'Resolved: ' || NEW.summary, coalesce(NEW.resolution, 'resolved'));
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER incidents_notify AFTER INSERT OR UPDATE OF resolved_at ON incidents
  FOR EACH ROW EXECUTE FUNCTION tracker_incident_notify();

-- Every notification (opened or resolved) is e-mailed to its audience's subscribers.
CREATE FUNCTION tracker_notification_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO email_outbox (recipient, subject, body, order_id)
  SELECT s.email, '[Atelier ' || NEW.severity || '] ' || NEW.title, NEW.body, NEW.order_id
  FROM notification_subscribers s WHERE s.audience = NEW.audience;
  RETURN NULL;
END $$;
CREATE TRIGGER notifications_email AFTER INSERT ON notifications
  FOR EACH ROW EXECUTE FUNCTION tracker_notification_email();
