-- cppo file format, version 9: records made in cppo linked to the entities AWS created from
-- their exports, and AWS's refusals (`cppo import` of a describe-change-set answer).

-- A linked record takes AWS's id everywhere in the file (its rows, its offers, its events):
-- the id it had in cppo is kept here, so that the same answer imported again is known, and
-- the old id still leads to the record.
CREATE TABLE aws_links (
    local_id      TEXT PRIMARY KEY,
    aws_id        TEXT NOT NULL,
    entity        TEXT NOT NULL,
    change_set_id TEXT NOT NULL,
    linked_at     TEXT NOT NULL
) STRICT;
CREATE INDEX aws_links_aws ON aws_links(aws_id);

-- The last change set AWS refused (FAILED) for a record, with each change's errors as AWS
-- wrote them (JSON `[{change_type, code, message}]`): shown beside the record until a later
-- answer for it.
CREATE TABLE aws_refusals (
    entity_id       TEXT PRIMARY KEY,
    change_set_id   TEXT NOT NULL,
    change_set_name TEXT,
    version         INTEGER NOT NULL,
    failure_code    TEXT,
    failure         TEXT,
    ended_at        TEXT,
    errors          TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
) STRICT;
