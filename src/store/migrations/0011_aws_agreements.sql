-- File format 11: agreements imported from AWS's Agreement API (search-agreements,
-- describe-agreement, get-agreement-terms).
--
-- Apart from `agreements` (cppo's own, made by accepting an offer in cppo): AWS's may name an
-- offer the file does not hold, has no opportunity or listing-fee rate, keeps AWS's nine
-- status words, and may have no end (pay-as-you-go). cppo never changes them; an import does.

CREATE TABLE aws_agreements (
    id                  TEXT PRIMARY KEY,
    -- AWS's proposalSummary.offerId as written: it may not be in `offers` ("offer not imported").
    offer_id            TEXT,
    proposer_account_id TEXT NOT NULL REFERENCES accounts(id),
    acceptor_account_id TEXT NOT NULL REFERENCES accounts(id),
    -- The manufacturer, known through the offer when the file holds it.
    isv_account_id      TEXT REFERENCES accounts(id),
    product_id          TEXT,
    product_type        TEXT,
    agreement_type      TEXT,
    status              TEXT NOT NULL,
    accepted_at         TEXT,
    starts_at           TEXT,
    -- NULL: pay-as-you-go. `ends_on` is its UTC day, for the radar's range scans.
    ends_at             TEXT,
    ends_on             TEXT,
    currency            TEXT,
    value_minor         INTEGER,
    imported_by         TEXT NOT NULL,
    imported_at         TEXT NOT NULL,
    version             INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX aws_agreements_proposer ON aws_agreements(proposer_account_id, ends_on, id);
CREATE INDEX aws_agreements_acceptor ON aws_agreements(acceptor_account_id, ends_on, id);
CREATE INDEX aws_agreements_isv ON aws_agreements(isv_account_id, ends_on, id);
CREATE INDEX aws_agreements_offer ON aws_agreements(offer_id);

-- get-agreement-terms' payment schedule, in date order; amounts in the agreement's currency's
-- minor units.
CREATE TABLE aws_agreement_charges (
    agreement_id TEXT NOT NULL REFERENCES aws_agreements(id),
    seq          INTEGER NOT NULL,
    due_on       TEXT NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT NOT NULL,
    PRIMARY KEY (agreement_id, seq)
) STRICT;
