-- File format 10: several duration rate cards on one opportunity, and the duration an offer
-- was made for.

-- The rate cards of an opportunity's other durations (its first is `opportunity_prices`), in
-- AWS's order (`card`); one wholesale unit price per contract dimension, at the scale of
-- `opportunity_prices.wholesale_price_e8`.
CREATE TABLE opportunity_rate_cards (
    opportunity_id     TEXT NOT NULL REFERENCES opportunities(id),
    duration           TEXT NOT NULL,
    dimension_key      TEXT NOT NULL,
    card               INTEGER NOT NULL,
    position           INTEGER NOT NULL,
    wholesale_price_e8 INTEGER NOT NULL,
    PRIMARY KEY (opportunity_id, duration, dimension_key)
) STRICT;

-- The duration the partner picked among its opportunity's; NULL (offers written before this
-- format): the opportunity's first duration, the only one there was. No rebuild, no backfill.
ALTER TABLE offers ADD COLUMN duration TEXT;
