-- cppo file format, version 5: records exchanged with AWS Marketplace (`cppo import`).

-- Where an imported opportunity or offer came from: AWS's revision, what AWS held of its
-- state and end date, and the record's local version right after the import. A later import
-- tells a local change (version moved) from none; an export sends only what moved from
-- what AWS holds.
CREATE TABLE aws_sources (
    entity_id     TEXT PRIMARY KEY,
    entity        TEXT NOT NULL,
    revision      TEXT,
    last_modified TEXT,
    imported_at   TEXT NOT NULL,
    local_version INTEGER NOT NULL,
    aws_state     TEXT NOT NULL,
    aws_end       TEXT NOT NULL
) STRICT;

-- What `list-entities` said of a resale authorization or an offer whose details were never
-- imported: enough to list it, not enough to act on it. Seen by the importing account and
-- the parties it names.
CREATE TABLE aws_summaries (
    entity_id          TEXT PRIMARY KEY,
    entity             TEXT NOT NULL,
    name               TEXT,
    status             TEXT,
    product_id         TEXT,
    isv_account_id     TEXT,
    partner_account_id TEXT,
    opportunity_id     TEXT,
    ends_on            TEXT,
    last_modified      TEXT,
    imported_by        TEXT NOT NULL,
    imported_at        TEXT NOT NULL
) STRICT;

-- The buyer's other AWS accounts an offer also targets (AWS: up to 25 in all); the first
-- stays in offers.buyer_account_id.
CREATE TABLE offer_accounts (
    offer_id   TEXT NOT NULL REFERENCES offers(id),
    position   INTEGER NOT NULL,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (offer_id, account_id)
) STRICT;
CREATE INDEX offer_accounts_account ON offer_accounts(account_id, offer_id);
