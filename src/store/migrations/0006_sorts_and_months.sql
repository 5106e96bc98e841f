-- cppo file format, version 6: every column the tables show sorts (`s`), and the Partners
-- tab's months are summed, on big files too. Each index serves one sort of the partner's or
-- the ISV's offers (the buyer's few are sorted as read; opportunities are few). Nothing here
-- holds anything new: all of it is derived from `offers`.

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

-- Offers per month of creation for each (partner, ISV, buyer, state), `buyer_account_id` ''
-- for a draft with no buyer yet: the Partners tab's month-by-month charts sum a few rows of
-- it instead of counting a relationship's offers. Kept by triggers, like `offer_tally`.
CREATE TABLE offer_months (
    partner_account_id TEXT NOT NULL,
    isv_account_id     TEXT NOT NULL,
    buyer_account_id   TEXT NOT NULL,
    state              TEXT NOT NULL,
    month              TEXT NOT NULL,
    n                  INTEGER NOT NULL,
    PRIMARY KEY (partner_account_id, isv_account_id, buyer_account_id, state, month)
) WITHOUT ROWID, STRICT;

INSERT INTO offer_months
SELECT partner_account_id, isv_account_id, coalesce(buyer_account_id, ''), state, substr(created_at, 1, 7), count(*)
FROM offers GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER offer_months_insert AFTER INSERT ON offers BEGIN
    INSERT INTO offer_months VALUES (new.partner_account_id, new.isv_account_id, coalesce(new.buyer_account_id, ''),
                                     new.state, substr(new.created_at, 1, 7), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER offer_months_delete AFTER DELETE ON offers BEGIN
    UPDATE offer_months SET n = n - 1
    WHERE partner_account_id = old.partner_account_id AND isv_account_id = old.isv_account_id
      AND buyer_account_id = coalesce(old.buyer_account_id, '') AND state = old.state
      AND month = substr(old.created_at, 1, 7);
    DELETE FROM offer_months WHERE n <= 0;
END;

CREATE TRIGGER offer_months_update
AFTER UPDATE OF partner_account_id, isv_account_id, buyer_account_id, state, created_at ON offers BEGIN
    UPDATE offer_months SET n = n - 1
    WHERE partner_account_id = old.partner_account_id AND isv_account_id = old.isv_account_id
      AND buyer_account_id = coalesce(old.buyer_account_id, '') AND state = old.state
      AND month = substr(old.created_at, 1, 7);
    DELETE FROM offer_months WHERE n <= 0;
    INSERT INTO offer_months VALUES (new.partner_account_id, new.isv_account_id, coalesce(new.buyer_account_id, ''),
                                     new.state, substr(new.created_at, 1, 7), 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
