-- Durations as AWS writes them (P12M, P1Y6M, P450D): a text column beside the old whole
-- months, which stay for files read by older code paths and are still written (years and
-- months; days dropped).
ALTER TABLE products ADD COLUMN duration TEXT NOT NULL DEFAULT '';
UPDATE products SET duration = 'P' || duration_months || 'M';
ALTER TABLE opportunities ADD COLUMN duration TEXT NOT NULL DEFAULT '';
UPDATE opportunities SET duration = 'P' || duration_months || 'M';
