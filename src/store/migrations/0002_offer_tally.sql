-- cppo file format, version 2: what keeps the row counts of big files fast. Derived from
-- `offers` and kept in step by triggers: it holds nothing new. (The trigram tables that keep
-- `/` fast are made by the first bulk load, `cppo demo --scale`: see `store::bulk`.)

-- How many offers share each (partner, ISV, buyer, product, opportunity, state): a few
-- hundred rows however many offers there are. A scoped count with no text filter, or one
-- whose text only matches account, product or opportunity ids, is a sum over this table.
-- `buyer_account_id` is '' for a draft with no buyer yet.
CREATE TABLE offer_tally (
    partner_account_id TEXT NOT NULL,
    isv_account_id     TEXT NOT NULL,
    buyer_account_id   TEXT NOT NULL,
    product_id         TEXT NOT NULL,
    opportunity_id     TEXT NOT NULL,
    state              TEXT NOT NULL,
    n                  INTEGER NOT NULL,
    PRIMARY KEY (partner_account_id, isv_account_id, buyer_account_id, product_id, opportunity_id, state)
) WITHOUT ROWID, STRICT;

INSERT INTO offer_tally
SELECT partner_account_id, isv_account_id, coalesce(buyer_account_id, ''), product_id, opportunity_id, state, count(*)
FROM offers GROUP BY 1, 2, 3, 4, 5, 6;

CREATE TRIGGER offer_tally_insert AFTER INSERT ON offers BEGIN
    INSERT INTO offer_tally VALUES (new.partner_account_id, new.isv_account_id, coalesce(new.buyer_account_id, ''),
                                    new.product_id, new.opportunity_id, new.state, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER offer_tally_delete AFTER DELETE ON offers BEGIN
    UPDATE offer_tally SET n = n - 1
    WHERE partner_account_id = old.partner_account_id AND isv_account_id = old.isv_account_id
      AND buyer_account_id = coalesce(old.buyer_account_id, '') AND product_id = old.product_id
      AND opportunity_id = old.opportunity_id AND state = old.state;
    DELETE FROM offer_tally WHERE n <= 0;
END;

CREATE TRIGGER offer_tally_update
AFTER UPDATE OF partner_account_id, isv_account_id, buyer_account_id, product_id, opportunity_id, state ON offers BEGIN
    UPDATE offer_tally SET n = n - 1
    WHERE partner_account_id = old.partner_account_id AND isv_account_id = old.isv_account_id
      AND buyer_account_id = coalesce(old.buyer_account_id, '') AND product_id = old.product_id
      AND opportunity_id = old.opportunity_id AND state = old.state;
    DELETE FROM offer_tally WHERE n <= 0;
    INSERT INTO offer_tally VALUES (new.partner_account_id, new.isv_account_id, coalesce(new.buyer_account_id, ''),
                                    new.product_id, new.opportunity_id, new.state, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
