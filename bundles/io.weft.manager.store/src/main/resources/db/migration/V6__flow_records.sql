-- Flow records that nodes report for their mesh streams.
--
-- Like V1 to V4, this script runs unchanged on Apache Derby 10.16 and PostgreSQL 10 or later,
-- which both support identity columns. Times are UTC.

-- One row per record as a node reported it. A node numbers its records from 1 again each
-- time its agent starts, under a new random epoch, so the unique key of node, epoch and
-- sequence lets a batch that the node sends again be stored once. id increases with every
-- insert and is the cursor of the listing, newest first. rule_id is NULL when no rule
-- matched and the default denied. event, flow_end and action hold lower-case codes.
CREATE TABLE weft_flow (
    id BIGINT GENERATED ALWAYS AS IDENTITY,
    reporter_node_id VARCHAR(64) NOT NULL,
    epoch BIGINT NOT NULL,
    sequence BIGINT NOT NULL,
    event VARCHAR(16) NOT NULL,
    flow_end VARCHAR(16) NOT NULL,
    source_node VARCHAR(317) NOT NULL,
    destination_node VARCHAR(317) NOT NULL,
    service VARCHAR(255) NOT NULL,
    port INTEGER NOT NULL,
    action VARCHAR(8) NOT NULL,
    rule_id VARCHAR(255),
    started_at TIMESTAMP NOT NULL,
    duration_millis BIGINT NOT NULL,
    bytes_to_destination BIGINT NOT NULL,
    bytes_to_source BIGINT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    CONSTRAINT weft_flow_pk PRIMARY KEY (id),
    CONSTRAINT weft_flow_record_uk UNIQUE (reporter_node_id, epoch, sequence),
    CONSTRAINT weft_flow_event_ck CHECK (event IN ('opened', 'closed', 'denied')),
    CONSTRAINT weft_flow_end_ck CHECK (flow_end IN ('source', 'destination')),
    CONSTRAINT weft_flow_action_ck CHECK (action IN ('allow', 'deny'))
);

-- Serve the retention by age and the time range filter.
CREATE INDEX weft_flow_recorded_ix ON weft_flow (recorded_at);
CREATE INDEX weft_flow_started_ix ON weft_flow (started_at);
