-- File format 15 (issue 20): a replacement offer may replace an agreement imported from AWS
-- (`aws_agreements`), the partner's real book, as well as one of cppo's own. The link from
-- an offer to the agreement it replaces no longer references `agreements`: the market checks
-- that the agreement is in either table when the offer is drafted. SQLite changes no
-- constraint in place: the table is made again, its rows and index kept.
CREATE TABLE offer_replacements_next (
    offer_id          TEXT PRIMARY KEY REFERENCES offers(id),
    -- cppo's `agreements.id` or AWS's `aws_agreements.id`.
    agreement_id      TEXT NOT NULL,
    agreement_ends_on TEXT
) STRICT;
INSERT INTO offer_replacements_next(offer_id, agreement_id, agreement_ends_on)
    SELECT offer_id, agreement_id, agreement_ends_on FROM offer_replacements;
DROP TABLE offer_replacements;
ALTER TABLE offer_replacements_next RENAME TO offer_replacements;
CREATE INDEX offer_replacements_agreement ON offer_replacements(agreement_id);
