-- cppo file format, version 1.
-- Money: INTEGER minor units (cents; yen) in *_minor columns, INTEGER hundred-millionths in
-- *_e8 unit-price columns. Percentages: exact decimal TEXT. Dates: ISO TEXT; '9999-12-31'
-- stands for "no date" so that dated columns sort and compare without NULL cases.

CREATE TABLE accounts (
    id           TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    is_isv       INTEGER NOT NULL,
    is_partner   INTEGER NOT NULL,
    is_buyer     INTEGER NOT NULL,
    partner_kind TEXT,
    created_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE products (
    id               TEXT PRIMARY KEY,
    isv_account_id   TEXT NOT NULL REFERENCES accounts(id),
    title            TEXT NOT NULL,
    product_type     TEXT NOT NULL,
    duration_months  INTEGER NOT NULL,
    created_at       TEXT NOT NULL,
    version          INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX products_isv ON products(isv_account_id, title, id);

CREATE TABLE dimensions (
    product_id    TEXT NOT NULL REFERENCES products(id),
    position      INTEGER NOT NULL,
    key           TEXT NOT NULL,
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL,
    pricing       TEXT NOT NULL,
    list_price_e8 INTEGER NOT NULL,
    PRIMARY KEY (product_id, key)
) STRICT;

CREATE TABLE opportunities (
    id                 TEXT PRIMARY KEY,
    isv_account_id     TEXT NOT NULL REFERENCES accounts(id),
    partner_account_id TEXT NOT NULL REFERENCES accounts(id),
    product_id         TEXT NOT NULL REFERENCES products(id),
    product_type       TEXT NOT NULL,
    name               TEXT NOT NULL,
    description        TEXT NOT NULL,
    kind               TEXT NOT NULL,
    currency           TEXT NOT NULL,
    discount_pct       TEXT,
    duration_months    INTEGER NOT NULL,
    ends_on            TEXT NOT NULL,
    renewal            INTEGER NOT NULL,
    net_payment_days   INTEGER,
    eula_url           TEXT,
    state              TEXT NOT NULL,
    ended_by           TEXT,
    offers_created     INTEGER NOT NULL DEFAULT 0,
    created_on         TEXT NOT NULL,
    created_at         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX opportunities_isv_created ON opportunities(isv_account_id, created_at, id);
CREATE INDEX opportunities_isv_name ON opportunities(isv_account_id, name, id);
CREATE INDEX opportunities_isv_ends ON opportunities(isv_account_id, ends_on, id);
CREATE INDEX opportunities_partner_created ON opportunities(partner_account_id, created_at, id);
CREATE INDEX opportunities_partner_name ON opportunities(partner_account_id, name, id);
CREATE INDEX opportunities_partner_ends ON opportunities(partner_account_id, ends_on, id);

CREATE TABLE opportunity_prices (
    opportunity_id     TEXT NOT NULL REFERENCES opportunities(id),
    position           INTEGER NOT NULL,
    dimension_key      TEXT NOT NULL,
    pricing            TEXT NOT NULL,
    list_price_e8      INTEGER NOT NULL,
    wholesale_price_e8 INTEGER NOT NULL,
    PRIMARY KEY (opportunity_id, dimension_key)
) STRICT;

CREATE TABLE opportunity_buyers (
    opportunity_id   TEXT NOT NULL REFERENCES opportunities(id),
    position         INTEGER NOT NULL,
    buyer_account_id TEXT NOT NULL REFERENCES accounts(id),
    PRIMARY KEY (opportunity_id, buyer_account_id)
) STRICT;

CREATE TABLE opportunity_installments (
    opportunity_id TEXT NOT NULL REFERENCES opportunities(id),
    due_on         TEXT NOT NULL,
    amount_minor   INTEGER NOT NULL,
    PRIMARY KEY (opportunity_id, due_on)
) STRICT;

CREATE TABLE offers (
    id                    TEXT PRIMARY KEY,
    opportunity_id        TEXT NOT NULL REFERENCES opportunities(id),
    product_id            TEXT NOT NULL REFERENCES products(id),
    opportunity_kind      TEXT NOT NULL,
    isv_account_id        TEXT NOT NULL REFERENCES accounts(id),
    partner_account_id    TEXT NOT NULL REFERENCES accounts(id),
    buyer_account_id      TEXT REFERENCES accounts(id),
    name                  TEXT NOT NULL,
    description           TEXT NOT NULL,
    markup_pct            TEXT NOT NULL,
    expires_on            TEXT NOT NULL,
    currency              TEXT NOT NULL,
    state                 TEXT NOT NULL,
    agreement_id          TEXT,
    wholesale_total_minor INTEGER NOT NULL,
    buyer_total_minor     INTEGER NOT NULL,
    fee_rate_pct          TEXT NOT NULL,
    listing_fee_minor     INTEGER NOT NULL,
    created_on            TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    version               INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX offers_partner_created ON offers(partner_account_id, created_at, id);
CREATE INDEX offers_partner_name ON offers(partner_account_id, name, id);
CREATE INDEX offers_partner_expires ON offers(partner_account_id, expires_on, id);
CREATE INDEX offers_isv_created ON offers(isv_account_id, state, created_at, id);
CREATE INDEX offers_isv_name ON offers(isv_account_id, state, name, id);
CREATE INDEX offers_isv_expires ON offers(isv_account_id, state, expires_on, id);
CREATE INDEX offers_buyer ON offers(buyer_account_id, state, created_at, id);
CREATE INDEX offers_opportunity ON offers(opportunity_id, created_at, id);

CREATE TABLE offer_lines (
    offer_id      TEXT NOT NULL REFERENCES offers(id),
    position      INTEGER NOT NULL,
    dimension_key TEXT NOT NULL,
    quantity      INTEGER NOT NULL,
    PRIMARY KEY (offer_id, dimension_key)
) STRICT;

CREATE TABLE agreements (
    id                    TEXT PRIMARY KEY,
    offer_id              TEXT NOT NULL UNIQUE REFERENCES offers(id),
    opportunity_id        TEXT NOT NULL REFERENCES opportunities(id),
    isv_account_id        TEXT NOT NULL REFERENCES accounts(id),
    partner_account_id    TEXT NOT NULL REFERENCES accounts(id),
    buyer_account_id      TEXT NOT NULL REFERENCES accounts(id),
    currency              TEXT NOT NULL,
    starts_on             TEXT NOT NULL,
    ends_on               TEXT NOT NULL,
    total_minor           INTEGER NOT NULL,
    wholesale_total_minor INTEGER NOT NULL,
    fee_rate_pct          TEXT NOT NULL,
    cancelled             INTEGER NOT NULL DEFAULT 0,
    created_at            TEXT NOT NULL,
    version               INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX agreements_isv ON agreements(isv_account_id, created_at, id);
CREATE INDEX agreements_partner ON agreements(partner_account_id, created_at, id);
CREATE INDEX agreements_buyer ON agreements(buyer_account_id, created_at, id);

CREATE TABLE charges (
    id              TEXT PRIMARY KEY,
    agreement_id    TEXT NOT NULL REFERENCES agreements(id),
    seq             INTEGER NOT NULL,
    due_on          TEXT NOT NULL,
    amount_minor    INTEGER NOT NULL,
    wholesale_minor INTEGER NOT NULL,
    paid_on         TEXT,
    version         INTEGER NOT NULL DEFAULT 0,
    UNIQUE (agreement_id, seq)
) STRICT;

CREATE TABLE disbursements (
    id                TEXT PRIMARY KEY,
    agreement_id      TEXT NOT NULL REFERENCES agreements(id),
    charge_id         TEXT NOT NULL REFERENCES charges(id),
    payee_account_id  TEXT NOT NULL REFERENCES accounts(id),
    role              TEXT NOT NULL,
    amount_minor      INTEGER NOT NULL,
    listing_fee_minor INTEGER,
    currency          TEXT NOT NULL,
    paid_on           TEXT NOT NULL,
    created_at        TEXT NOT NULL
) STRICT;
CREATE INDEX disbursements_payee ON disbursements(payee_account_id, paid_on, id);
CREATE INDEX disbursements_agreement ON disbursements(agreement_id);

CREATE TABLE events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    action      TEXT NOT NULL,
    from_state  TEXT,
    to_state    TEXT,
    details     TEXT NOT NULL
) STRICT;
CREATE INDEX events_entity ON events(entity_id, seq);

-- Who may read each event: the parties that could see the entity after the change.
CREATE TABLE event_audience (
    event_seq  INTEGER NOT NULL REFERENCES events(seq),
    account_id TEXT NOT NULL,
    PRIMARY KEY (account_id, event_seq)
) WITHOUT ROWID, STRICT;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
