-- File format 16 (issue 21's `cppo pull`): where each account's last pull from AWS left
-- off. The watermark is AWS's LastModifiedDate the next incremental pull starts from; it
-- moves in the transaction that stores a pull, so a pull cut short leaves it where it was.
CREATE TABLE aws_pulls (
    account_id TEXT PRIMARY KEY REFERENCES accounts(id),
    watermark  TEXT,
    pulled_at  TEXT NOT NULL
) STRICT;
