-- File format (issue 22): Cancelled is an offer status of its own, and the ISV's offers sort
-- by their partner (the reseller), the column that names what it holds. A cancel moves the expiry
-- to the day before, as AWS's portal does, so that an expired offer and a withdrawn one read
-- alike by their dates; the day the partner cancelled is now kept on the row.
ALTER TABLE offers ADD COLUMN cancelled_on TEXT;

-- Offers cancelled before this format: the audit log's last cancel, unless an extension came
-- after it or the expiry moved on since (an import of a later AWS expiry).
UPDATE offers SET cancelled_on = c.day
FROM (SELECT entity_id, substr(at, 1, 10) AS day FROM events e
      WHERE action = 'cancel'
        AND seq = (SELECT max(seq) FROM events x WHERE x.entity_id = e.entity_id AND x.action IN ('cancel', 'extend'))) c
WHERE offers.id = c.entity_id AND offers.state = 'released' AND offers.agreement_id IS NULL
  AND offers.expires_on < c.day;

-- Sorting and filtering by status: one range per status, as before, now with the withdrawn
-- ones apart from the lapsed (`query::offer_status_sql` writes them as these indexes hold them).
DROP INDEX offers_partner_status;
DROP INDEX offers_isv_status;
CREATE INDEX offers_partner_status
    ON offers(partner_account_id, state, (agreement_id IS NOT NULL), (cancelled_on IS NOT NULL), expires_on, id);
CREATE INDEX offers_isv_status
    ON offers(isv_account_id, state, (agreement_id IS NOT NULL), (cancelled_on IS NOT NULL), expires_on, id);

-- The ISV's offers sort by their partner, whatever the kind (`offers_isv_partner`): the end
-- buyer of a one-time opportunity's offer is shown in its detail, no longer in the column.
DROP INDEX offers_isv_buyer;
