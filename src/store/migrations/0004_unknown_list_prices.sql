-- List prices may be unknown: an AWS resale authorization carries wholesale prices only,
-- so a product first met there has no known list price. NULL means unknown, never zero.
CREATE TABLE dimensions_0004 (
    product_id    TEXT NOT NULL REFERENCES products(id),
    position      INTEGER NOT NULL,
    key           TEXT NOT NULL,
    name          TEXT NOT NULL,
    unit          TEXT NOT NULL,
    pricing       TEXT NOT NULL,
    list_price_e8 INTEGER,
    PRIMARY KEY (product_id, key)
) STRICT;
INSERT INTO dimensions_0004 SELECT product_id, position, key, name, unit, pricing, list_price_e8 FROM dimensions;
DROP TABLE dimensions;
ALTER TABLE dimensions_0004 RENAME TO dimensions;

CREATE TABLE opportunity_prices_0004 (
    opportunity_id     TEXT NOT NULL REFERENCES opportunities(id),
    position           INTEGER NOT NULL,
    dimension_key      TEXT NOT NULL,
    pricing            TEXT NOT NULL,
    list_price_e8      INTEGER,
    wholesale_price_e8 INTEGER NOT NULL,
    PRIMARY KEY (opportunity_id, dimension_key)
) STRICT;
INSERT INTO opportunity_prices_0004
    SELECT opportunity_id, position, dimension_key, pricing, list_price_e8, wholesale_price_e8 FROM opportunity_prices;
DROP TABLE opportunity_prices;
ALTER TABLE opportunity_prices_0004 RENAME TO opportunity_prices;
