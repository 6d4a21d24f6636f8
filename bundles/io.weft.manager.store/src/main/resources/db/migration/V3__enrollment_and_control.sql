-- Enrollment tokens, the certificates that the CA issued to nodes, and what the control
-- channel knows of each node: the revision of its desired state and the one it applied.
--
-- Like V1 and V2, this script runs unchanged on Apache Derby 10.16 and PostgreSQL. Times are UTC.

-- Single-use enrollment tokens. secret_sha256 is the SHA-256 of the token's secret, never the
-- secret; the unique index finds a token by it. used_at is set once, when a node enrolls.
CREATE TABLE weft_enrollment_token (
    id CHAR(16) NOT NULL,
    node_id CHAR(36) NOT NULL,
    secret_sha256 CHAR(64) NOT NULL,
    created_by VARCHAR(256) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    CONSTRAINT weft_enrollment_token_pk PRIMARY KEY (id),
    CONSTRAINT weft_enrollment_token_secret_uq UNIQUE (secret_sha256),
    CONSTRAINT weft_enrollment_token_node_fk FOREIGN KEY (node_id) REFERENCES weft_node (id) ON DELETE CASCADE
);

CREATE INDEX weft_enrollment_token_node_ix ON weft_enrollment_token (node_id);

-- Every node certificate the CA issued, by serial number in lower-case hex. Rows outlive their
-- node, so that a deleted node's certificates stay on the revocation list until they expire.
CREATE TABLE weft_node_certificate (
    serial VARCHAR(64) NOT NULL,
    node_id CHAR(36) NOT NULL,
    not_before TIMESTAMP NOT NULL,
    not_after TIMESTAMP NOT NULL,
    issued_at TIMESTAMP NOT NULL,
    revoked_at TIMESTAMP,
    revocation_reason VARCHAR(32),
    CONSTRAINT weft_node_certificate_pk PRIMARY KEY (serial)
);

CREATE INDEX weft_node_certificate_node_ix ON weft_node_certificate (node_id);
CREATE INDEX weft_node_certificate_revoked_ix ON weft_node_certificate (revoked_at, not_after);

-- The revision counters of the fleet: one row per counter, incremented under a row lock.
CREATE TABLE weft_counter (
    name VARCHAR(64) NOT NULL,
    counter_value BIGINT NOT NULL,
    CONSTRAINT weft_counter_pk PRIMARY KEY (name)
);

INSERT INTO weft_counter (name, counter_value) VALUES ('desired_state_revision', 0);
INSERT INTO weft_counter (name, counter_value) VALUES ('crl_number', 0);

-- The desired state the manager compiled for a node (its revision and the SHA-256 of its
-- content, so that an unchanged state keeps its revision) and what the node last reported.
CREATE TABLE weft_node_control (
    node_id CHAR(36) NOT NULL,
    desired_revision BIGINT NOT NULL,
    desired_sha256 CHAR(64) NOT NULL,
    desired_at TIMESTAMP NOT NULL,
    applied_revision BIGINT NOT NULL,
    applied_at TIMESTAMP,
    last_rejection VARCHAR(1000),
    weft_version VARCHAR(64),
    CONSTRAINT weft_node_control_pk PRIMARY KEY (node_id),
    CONSTRAINT weft_node_control_node_fk FOREIGN KEY (node_id) REFERENCES weft_node (id) ON DELETE CASCADE
);
