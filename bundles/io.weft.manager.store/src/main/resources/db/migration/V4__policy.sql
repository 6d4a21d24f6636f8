-- The fleet's policy: one JSON document with every rule and test case.
--
-- Like V1 to V3, this script runs unchanged on Apache Derby 10.16 and PostgreSQL, with the
-- ${large_text} placeholder (CLOB(1M) on Derby, TEXT on PostgreSQL). Times are UTC.

-- At most one row, whose id is always 1: the check constraint and the primary key together
-- reject a second one. Without a row the policy is empty at version 0. document is the JSON
-- text as the manager wrote it, which the store neither reads nor reformats. Every change
-- increments version.
CREATE TABLE weft_policy (
    id SMALLINT NOT NULL,
    document ${large_text} NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT weft_policy_pk PRIMARY KEY (id),
    CONSTRAINT weft_policy_single_row_ck CHECK (id = 1)
);
