-- Operators, their grants, API tokens and the audit log.
--
-- Like V1, this script runs unchanged on Apache Derby 10.16 and PostgreSQL, with the
-- ${large_text} placeholder (CLOB(1M) on Derby, TEXT on PostgreSQL). Times are UTC.

-- An operator's normalized user name is its identity. password_hash contains the PHC string of
-- the Argon2id hash, never the password. Changing an operator or replacing its grants
-- increments version. Changes that can remove the last enabled fleet-wide admin lock this
-- table, so two of them cannot both pass the check.
CREATE TABLE weft_operator (
    name VARCHAR(64) NOT NULL,
    password_hash VARCHAR(512) NOT NULL,
    disabled BOOLEAN NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT weft_operator_pk PRIMARY KEY (name)
);

-- One row per grant. scope is the root domain of the grant, or '' for the whole fleet: an
-- empty string instead of NULL, so that the primary key can include it.
CREATE TABLE weft_operator_grant (
    operator_name VARCHAR(64) NOT NULL,
    role VARCHAR(16) NOT NULL,
    scope VARCHAR(253) NOT NULL,
    CONSTRAINT weft_operator_grant_pk PRIMARY KEY (operator_name, role, scope),
    CONSTRAINT weft_operator_grant_operator_fk FOREIGN KEY (operator_name) REFERENCES weft_operator (name)
        ON DELETE CASCADE,
    CONSTRAINT weft_operator_grant_role_ck CHECK (role IN ('viewer', 'operator', 'admin'))
);

-- Finds the fleet-wide admins for the last-admin check.
CREATE INDEX weft_operator_grant_role_ix ON weft_operator_grant (role, scope, operator_name);

-- API tokens without their secrets: secret_sha256 is the SHA-256 of the whole token text.
-- Deleting the owner deletes its tokens.
CREATE TABLE weft_api_token (
    id CHAR(16) NOT NULL,
    owner_name VARCHAR(64) NOT NULL,
    secret_sha256 CHAR(64) NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    revoked BOOLEAN NOT NULL,
    last_used_at TIMESTAMP,
    CONSTRAINT weft_api_token_pk PRIMARY KEY (id),
    CONSTRAINT weft_api_token_owner_fk FOREIGN KEY (owner_name) REFERENCES weft_operator (name) ON DELETE CASCADE
);

CREATE INDEX weft_api_token_owner_ix ON weft_api_token (owner_name);

-- The hash-chained audit log. The primary key on sequence turns two appends that continue
-- the same head into an error instead of a fork. before_state and after_state are JSON text
-- stored as written, because the hash covers their exact characters. A column type that
-- reformats JSON, such as PostgreSQL's jsonb, would break every hash.
CREATE TABLE weft_audit_entry (
    sequence BIGINT NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    actor VARCHAR(256) NOT NULL,
    remote_address VARCHAR(64),
    action VARCHAR(64) NOT NULL,
    target VARCHAR(512) NOT NULL,
    before_state ${large_text},
    after_state ${large_text},
    previous_hash CHAR(64) NOT NULL,
    hash CHAR(64) NOT NULL,
    CONSTRAINT weft_audit_entry_pk PRIMARY KEY (sequence)
);

-- Serve the actor, action and time filters of audit listings.
CREATE INDEX weft_audit_entry_actor_ix ON weft_audit_entry (actor, sequence);
CREATE INDEX weft_audit_entry_action_ix ON weft_audit_entry (action, sequence);
CREATE INDEX weft_audit_entry_time_ix ON weft_audit_entry (recorded_at);
