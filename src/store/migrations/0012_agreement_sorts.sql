-- File format (issue 20, the Agreements tab): the agreements of each party walk an index for
-- the tab's sorts and the renewal radar ("ending within N days", by end date), as the offers
-- do since 0006. No table changes: a file of the previous format gains the indexes.
CREATE INDEX agreements_partner_ends ON agreements(partner_account_id, ends_on, id);
CREATE INDEX agreements_isv_ends ON agreements(isv_account_id, ends_on, id);
CREATE INDEX agreements_buyer_ends ON agreements(buyer_account_id, ends_on, id);
CREATE INDEX agreements_partner_total ON agreements(partner_account_id, currency, total_minor, id);
CREATE INDEX agreements_isv_total ON agreements(isv_account_id, currency, wholesale_total_minor, id);
CREATE INDEX agreements_buyer_total ON agreements(buyer_account_id, currency, total_minor, id);
