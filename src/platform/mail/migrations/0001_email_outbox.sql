-- The e-mail outbox (src/platform/mail/email-outbox.ts): a row is written in the transaction
-- that makes an e-mail due and sent after commit by EmailOutboxSender (several instances share
-- the rows with SKIP LOCKED). Applied to the services that send mail (ServiceDefinition.mail).
-- IF NOT EXISTS: databases made before this file existed got the same table from the service's
-- own migration (MES 0002_workspace, tracker 0002_notifications).
CREATE TABLE IF NOT EXISTS email_outbox (
  id bigserial PRIMARY KEY,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  order_id uuid,
  created_at timestamptz(3) NOT NULL DEFAULT now(),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz(3) NOT NULL DEFAULT now(),
  last_error text,
  sent_at timestamptz(3)
);
CREATE INDEX IF NOT EXISTS email_outbox_due ON email_outbox (next_attempt_at) WHERE sent_at IS NULL;
