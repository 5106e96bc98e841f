-- File format (issue 20, replacement offers): an offer may replace an ACTIVE agreement, and
-- accepting it makes that agreement REPLACED.

-- A replacement offer's agreement to replace, and the end date it gives the new agreement
-- (NULL: the offer's duration from acceptance). A side table: most offers replace nothing,
-- and the offers row (and the bulk loader that writes it) stays as it was.
CREATE TABLE offer_replacements (
    offer_id          TEXT PRIMARY KEY REFERENCES offers(id),
    agreement_id      TEXT NOT NULL REFERENCES agreements(id),
    agreement_ends_on TEXT
) STRICT;
-- "Which offers replace this agreement" (the agreement's detail, the renewal radar).
CREATE INDEX offer_replacements_agreement ON offer_replacements(agreement_id);

-- Both links of a replacement: the agreement it replaced, the agreement that replaced it.
ALTER TABLE agreements ADD COLUMN replaces_agreement_id TEXT REFERENCES agreements(id);
ALTER TABLE agreements ADD COLUMN replaced_by_agreement_id TEXT REFERENCES agreements(id);

-- A charge the replacement cancelled before it was paid: nobody pays it.
ALTER TABLE charges ADD COLUMN cancelled_on TEXT;
