-- File format 8: the buyer unit prices AWS gave an imported offer where they differ from
-- cppo's wholesale x markup (AWS rounds its own way). The offer is priced with AWS's price
-- while cppo still computes `computed_price` for the dimension. Decimal text as AWS wrote
-- it, like `markup_pct`: never sorted or summed in SQL, and AWS may give more decimals than
-- a unit-price column's fixed scale holds.
CREATE TABLE offer_aws_prices (
    offer_id       TEXT NOT NULL REFERENCES offers(id),
    dimension_key  TEXT NOT NULL,
    aws_price      TEXT NOT NULL,
    computed_price TEXT NOT NULL,
    PRIMARY KEY (offer_id, dimension_key)
) STRICT;
