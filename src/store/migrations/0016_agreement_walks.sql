-- File format 16 (issue 20, the Agreements tab at a million offers): every sort of each
-- party's agreements, and every status and radar narrow, walks an index, as the offers do
-- since 0006. No table changes: a file of the previous format gains the indexes.

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
