-- Domains, nodes, tags and profile documents.
--
-- This script runs unchanged on Apache Derby 10.16 and PostgreSQL, with one placeholder:
-- ${large_text} is CLOB(1M) on Derby and TEXT on PostgreSQL. Names carry the weft_ prefix so
-- that the tables can share a PostgreSQL schema with other applications. Times are UTC.
-- Every row has a version that each change increments, for optimistic concurrency.

-- A domain's DNS name is its identity. Subdomains are found by name suffix, so there is no
-- parent column. Creating and deleting domains lock this table, which keeps the rule "delete
-- only an empty domain" free of races.
CREATE TABLE weft_domain (
    name VARCHAR(253) NOT NULL,
    description VARCHAR(1000) NOT NULL,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT weft_domain_pk PRIMARY KEY (name)
);

-- full_name is name || '.' || domain_name. Its unique index makes node names unique within a
-- domain (node names are single labels) and serves keyset pagination: listings are ordered
-- by full_name, and the cursor is the last full_name of a page.
CREATE TABLE weft_node (
    id CHAR(36) NOT NULL,
    name VARCHAR(63) NOT NULL,
    domain_name VARCHAR(253) NOT NULL,
    full_name VARCHAR(317) NOT NULL,
    role VARCHAR(16) NOT NULL,
    cluster_name VARCHAR(64),
    description VARCHAR(1000) NOT NULL,
    state VARCHAR(16) NOT NULL,
    last_seen_at TIMESTAMP,
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT weft_node_pk PRIMARY KEY (id),
    CONSTRAINT weft_node_full_name_uq UNIQUE (full_name),
    CONSTRAINT weft_node_domain_fk FOREIGN KEY (domain_name) REFERENCES weft_domain (name),
    CONSTRAINT weft_node_role_ck CHECK (role IN ('edge', 'gateway')),
    CONSTRAINT weft_node_state_ck CHECK (state IN ('created', 'enrolled', 'revoked'))
);

-- Looks up the nodes of one domain (the emptiness check before a domain is deleted, and the
-- foreign key check, which PostgreSQL does not index by itself).
CREATE INDEX weft_node_domain_ix ON weft_node (domain_name);

-- One row per tag of a node. The primary key serves the tag filter of listings
-- (EXISTS ... WHERE node_id = ? AND tag = ?); the second index finds the nodes of a tag.
CREATE TABLE weft_node_tag (
    node_id CHAR(36) NOT NULL,
    tag VARCHAR(64) NOT NULL,
    CONSTRAINT weft_node_tag_pk PRIMARY KEY (node_id, tag),
    CONSTRAINT weft_node_tag_node_fk FOREIGN KEY (node_id) REFERENCES weft_node (id) ON DELETE CASCADE
);

CREATE INDEX weft_node_tag_tag_ix ON weft_node_tag (tag, node_id);

-- Profile documents: JSON text that the REST layer structures, at most one per domain and
-- one per node. Deleting the owner deletes its profile.
CREATE TABLE weft_domain_profile (
    domain_name VARCHAR(253) NOT NULL,
    document ${large_text} NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT weft_domain_profile_pk PRIMARY KEY (domain_name),
    CONSTRAINT weft_domain_profile_domain_fk FOREIGN KEY (domain_name) REFERENCES weft_domain (name)
        ON DELETE CASCADE
);

CREATE TABLE weft_node_profile (
    node_id CHAR(36) NOT NULL,
    document ${large_text} NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT weft_node_profile_pk PRIMARY KEY (node_id),
    CONSTRAINT weft_node_profile_node_fk FOREIGN KEY (node_id) REFERENCES weft_node (id) ON DELETE CASCADE
);
