-- Flow records of Edge API calls, next to those of mesh streams.
--
-- Like V1 to V6, this script runs unchanged on Apache Derby 10.16 and PostgreSQL 10 or later.
-- Derby takes one column per ALTER TABLE, and both accept DEFAULT before NOT NULL.

-- kind is 'stream' for the records that V6 stored and 'call' for an Edge API call. A call
-- record stores service 'edge-api' and port 0 in the V6 columns. app, operation, caller,
-- via_node and http_status are NULL for a stream. caller is 'node:<full name>' or
-- 'client:<name>', and NULL also for a call whose caller failed to authenticate. via_node is
-- the node that forwarded the call, in the record of the node that served it.
ALTER TABLE weft_flow ADD COLUMN kind VARCHAR(8) DEFAULT 'stream' NOT NULL;
ALTER TABLE weft_flow ADD COLUMN app VARCHAR(128);
ALTER TABLE weft_flow ADD COLUMN operation VARCHAR(64);
ALTER TABLE weft_flow ADD COLUMN caller VARCHAR(330);
ALTER TABLE weft_flow ADD COLUMN via_node VARCHAR(317);
ALTER TABLE weft_flow ADD COLUMN http_status INTEGER;
ALTER TABLE weft_flow ADD CONSTRAINT weft_flow_kind_ck CHECK (kind IN ('stream', 'call'));

-- Serve the filters by app and operation, and by caller.
CREATE INDEX weft_flow_operation_ix ON weft_flow (app, operation);
CREATE INDEX weft_flow_caller_ix ON weft_flow (caller);
