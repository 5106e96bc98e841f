-- File format 18 (issue 20, the Agreements tab at a million offers): every sort of each
-- party's agreements, and every status and radar narrow, walks an index, as the offers do
-- since 0006; the filter (`/`) and its count use a tally, as the offers' do (0002), and
-- the trigram tables the first bulk load makes (`store::bulk`). Nothing here holds anything
-- new: all of it is derived from `agreements`, and kept in step by triggers.

-- Sorting by the counterparty walks the accounts in name order, then each account's
-- agreements. The trailing columns let a branch's count read the index alone (the ISV's and
-- the buyer's branches leave out the agreements where the viewer holds another role too).
CREATE INDEX agreements_partner_buyer ON agreements(partner_account_id, buyer_account_id, id);
CREATE INDEX agreements_isv_partner ON agreements(isv_account_id, partner_account_id, id);
CREATE INDEX agreements_buyer_partner ON agreements(buyer_account_id, partner_account_id, id, isv_account_id);

-- The status of each party's agreements, by end date within it: a status is a range (`query::
-- agreements::narrow_sql` writes the same expression: 2 replaced, 1 cancelled, 0 neither,
-- ACTIVE or EXPIRED by the end date), the radar's "ending within N days" a range within it.
CREATE INDEX agreements_partner_status ON agreements(
    partner_account_id, (CASE WHEN replaced_by_agreement_id IS NOT NULL THEN 2 ELSE cancelled END), ends_on, id
);
CREATE INDEX agreements_isv_status ON agreements(
    isv_account_id, (CASE WHEN replaced_by_agreement_id IS NOT NULL THEN 2 ELSE cancelled END), ends_on, id,
    partner_account_id
);
CREATE INDEX agreements_buyer_status ON agreements(
    buyer_account_id, (CASE WHEN replaced_by_agreement_id IS NOT NULL THEN 2 ELSE cancelled END), ends_on, id,
    partner_account_id, isv_account_id
);

-- The same in creation order (the tab's default), the end date last: a status narrow walks
-- its range newest first and tests ACTIVE or EXPIRED in the index, without reading the rows
-- it passes over.
CREATE INDEX agreements_partner_status_created ON agreements(
    partner_account_id, (CASE WHEN replaced_by_agreement_id IS NOT NULL THEN 2 ELSE cancelled END), created_at, id,
    ends_on
);
CREATE INDEX agreements_isv_status_created ON agreements(
    isv_account_id, (CASE WHEN replaced_by_agreement_id IS NOT NULL THEN 2 ELSE cancelled END), created_at, id,
    ends_on
);
CREATE INDEX agreements_buyer_status_created ON agreements(
    buyer_account_id, (CASE WHEN replaced_by_agreement_id IS NOT NULL THEN 2 ELSE cancelled END), created_at, id,
    ends_on
);

-- The filter's candidates by their opportunity (the agreements of the tally groups it
-- matches).
CREATE INDEX agreements_opportunity ON agreements(opportunity_id);

-- How many agreements share each (partner, ISV, buyer, opportunity): a few hundred rows
-- however many agreements there are. A count with no filter, or the part of a filtered one
-- that the parties or the opportunity match, is a sum over this table.
CREATE TABLE agreement_tally (
    partner_account_id TEXT NOT NULL,
    isv_account_id     TEXT NOT NULL,
    buyer_account_id   TEXT NOT NULL,
    opportunity_id     TEXT NOT NULL,
    n                  INTEGER NOT NULL,
    PRIMARY KEY (partner_account_id, isv_account_id, buyer_account_id, opportunity_id)
) WITHOUT ROWID, STRICT;

INSERT INTO agreement_tally
SELECT partner_account_id, isv_account_id, buyer_account_id, opportunity_id, count(*) FROM agreements
GROUP BY 1, 2, 3, 4;

CREATE TRIGGER agreement_tally_insert AFTER INSERT ON agreements BEGIN
    INSERT INTO agreement_tally
    VALUES (new.partner_account_id, new.isv_account_id, new.buyer_account_id, new.opportunity_id, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER agreement_tally_delete AFTER DELETE ON agreements BEGIN
    UPDATE agreement_tally SET n = n - 1
    WHERE partner_account_id = old.partner_account_id AND isv_account_id = old.isv_account_id
      AND buyer_account_id = old.buyer_account_id AND opportunity_id = old.opportunity_id;
    DELETE FROM agreement_tally WHERE n <= 0;
END;

CREATE TRIGGER agreement_tally_update
AFTER UPDATE OF partner_account_id, isv_account_id, buyer_account_id, opportunity_id ON agreements BEGIN
    UPDATE agreement_tally SET n = n - 1
    WHERE partner_account_id = old.partner_account_id AND isv_account_id = old.isv_account_id
      AND buyer_account_id = old.buyer_account_id AND opportunity_id = old.opportunity_id;
    DELETE FROM agreement_tally WHERE n <= 0;
    INSERT INTO agreement_tally
    VALUES (new.partner_account_id, new.isv_account_id, new.buyer_account_id, new.opportunity_id, 1)
    ON CONFLICT DO UPDATE SET n = n + 1;
END;
