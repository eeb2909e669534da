-- A failed job whose order a seller cancelled or rejected is closed: off the staff list, not retried.
ALTER TABLE price_jobs DROP CONSTRAINT price_jobs_status_check;
ALTER TABLE price_jobs ADD CONSTRAINT price_jobs_status_check CHECK (status IN ('priced', 'rejected', 'failed', 'closed'));
