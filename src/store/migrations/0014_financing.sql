-- File format 14 (issue 20's customer financing): a buyer's third-party financing of an
-- agreement. One row per agreement: the application as it stands (a declined one is
-- replaced by the next); its history is in the audit log. Seen by the buyer alone; the
-- sellers learn only that a financier paid (the charges' disbursements).
CREATE TABLE financings (
    agreement_id TEXT PRIMARY KEY REFERENCES agreements(id),
    provider     TEXT NOT NULL,
    months       INTEGER NOT NULL CHECK (months BETWEEN 1 AND 60),
    status       TEXT NOT NULL CHECK (status IN ('offered', 'approved', 'declined', 'funded')),
    -- What the financier pays, in the agreement's currency's minor units.
    amount_minor INTEGER NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 0
) STRICT;
