-- Production runs that arrived while a dry run of the same version held it; claimed once the dry run ends.
CREATE TABLE queued_runs (
    run_key        VARCHAR(200) NOT NULL PRIMARY KEY,
    version        VARCHAR(100) NOT NULL,
    sochdb_version VARCHAR(100) NOT NULL,
    trigger_source VARCHAR(300) NOT NULL,
    queued         BIGINT       NOT NULL
);
