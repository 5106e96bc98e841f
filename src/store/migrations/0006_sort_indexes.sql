-- cppo file format, version 6: every column the tables show sorts (`s`), on big files too.
-- Each index serves one sort of the partner's or the ISV's offers (the buyer's few are sorted
-- as read; opportunities are few). They hold nothing new.

-- Sorting by the buyer, seller or partner walks the accounts in name order (unique, so SQLite
-- knows the order holds within each account), then each account's offers.
CREATE UNIQUE INDEX accounts_name ON accounts(name, id);
CREATE INDEX offers_partner_buyer ON offers(partner_account_id, buyer_account_id, id);
-- The ISV sees the end buyer of one-time opportunities only, and the partner in its place:
-- one walk each (SQLite does not join on an indexed expression).
CREATE INDEX offers_isv_buyer ON offers(isv_account_id, state, opportunity_kind, buyer_account_id, id);
CREATE INDEX offers_isv_partner ON offers(isv_account_id, state, opportunity_kind, partner_account_id, id);

-- Sorting by the amount: by currency, then the total the viewer sees.
CREATE INDEX offers_partner_total ON offers(partner_account_id, currency, buyer_total_minor, id);
CREATE INDEX offers_isv_wholesale ON offers(isv_account_id, state, currency, wholesale_total_minor, id);

-- Sorting by status: one range per status (`query::offer_status_sql` writes them as these
-- indexes hold them), by expiry within it.
CREATE INDEX offers_partner_status ON offers(partner_account_id, state, (agreement_id IS NOT NULL), expires_on, id);
CREATE INDEX offers_isv_status ON offers(isv_account_id, state, (agreement_id IS NOT NULL), expires_on, id);
