-- Edge apps: the bundle versions in the manager's repository, and the deployments that send
-- them to nodes.
--
-- Like V1 to V4, this script runs unchanged on Apache Derby 10.16 and PostgreSQL, with the
-- ${large_text} placeholder (CLOB(1M) on Derby, TEXT on PostgreSQL). Times are UTC.

-- One row per uploaded bundle version; a version is never changed after its upload. The bundle
-- itself is a file under the manager's data folder named after sha256. signature is the
-- Base64 form of the detached CMS signature that the repository key made at upload.
CREATE TABLE weft_app_version (
    app_name VARCHAR(255) NOT NULL,
    app_version VARCHAR(255) NOT NULL,
    sha256 CHAR(64) NOT NULL,
    size_bytes BIGINT NOT NULL,
    signature ${large_text} NOT NULL,
    uploaded_by VARCHAR(255) NOT NULL,
    uploaded_at TIMESTAMP NOT NULL,
    CONSTRAINT weft_app_version_pk PRIMARY KEY (app_name, app_version),
    CONSTRAINT weft_app_version_size_ck CHECK (size_bytes > 0)
);

-- A deployment names one app version and the nodes that run it. spec is the JSON of its target
-- selector and rollout settings, as the manager wrote it. previous_version is the version that
-- nodes outside the current rollout stage keep, null for a first rollout. state is active or
-- halted; state_reason is the reason why a rollout halted. The foreign keys keep a deployed version
-- from being deleted.
CREATE TABLE weft_deployment (
    id VARCHAR(64) NOT NULL,
    app_name VARCHAR(255) NOT NULL,
    app_version VARCHAR(255) NOT NULL,
    previous_version VARCHAR(255),
    spec ${large_text} NOT NULL,
    state VARCHAR(16) NOT NULL,
    state_reason VARCHAR(2000),
    version BIGINT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CONSTRAINT weft_deployment_pk PRIMARY KEY (id),
    CONSTRAINT weft_deployment_app_fk FOREIGN KEY (app_name, app_version)
        REFERENCES weft_app_version (app_name, app_version),
    CONSTRAINT weft_deployment_previous_fk FOREIGN KEY (app_name, previous_version)
        REFERENCES weft_app_version (app_name, app_version),
    CONSTRAINT weft_deployment_state_ck CHECK (state IN ('active', 'halted'))
);

CREATE INDEX weft_deployment_app_ix ON weft_deployment (app_name, app_version);
