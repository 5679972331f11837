-- The release state store. Plain SQL that H2 and PostgreSQL read alike; times are epoch milliseconds so that
-- lease arithmetic is the same on both.

-- One row per run key: the version, or "<version>-dry-run" for a dry run of a version already released.
-- The primary key is the claim: whoever inserts the row, or moves its attempt on, owns the run.
CREATE TABLE release_runs (
    run_key          VARCHAR(200)   NOT NULL PRIMARY KEY,
    version          VARCHAR(100)   NOT NULL,
    sochdb_version   VARCHAR(100)   NOT NULL,
    dry_run          BOOLEAN        NOT NULL,
    trigger_source   VARCHAR(300)   NOT NULL,
    sdk_source       VARCHAR(500),
    state            VARCHAR(20)    NOT NULL,
    attempt          INTEGER        NOT NULL,
    owner            VARCHAR(200),
    lease_expires    BIGINT,
    started          BIGINT         NOT NULL,
    finished         BIGINT,
    failed_step      VARCHAR(50),
    error            VARCHAR(4000),
    needs_person     BOOLEAN        NOT NULL DEFAULT FALSE,
    github_release_id BIGINT,
    document         VARCHAR(1000000)
);

CREATE TABLE release_steps (
    run_key   VARCHAR(200)  NOT NULL,
    step      VARCHAR(50)   NOT NULL,
    position  INTEGER       NOT NULL,
    state     VARCHAR(20)   NOT NULL,
    detail    VARCHAR(4000),
    started   BIGINT,
    finished  BIGINT,
    PRIMARY KEY (run_key, step)
);

CREATE TABLE release_artifacts (
    run_key         VARCHAR(200) NOT NULL,
    name            VARCHAR(300) NOT NULL,
    kind            VARCHAR(20)  NOT NULL,
    platform        VARCHAR(100),
    size_bytes      BIGINT       NOT NULL,
    sha256          VARCHAR(64)  NOT NULL,
    pypi            VARCHAR(200),
    github_asset_id BIGINT,
    PRIMARY KEY (run_key, name)
);

-- GitHub webhook deliveries already handled: a redelivery to any replica starts nothing.
CREATE TABLE webhook_deliveries (
    delivery_id VARCHAR(100) NOT NULL PRIMARY KEY,
    received    BIGINT       NOT NULL
);

-- Named leases with an owner and an expiry: leader election for the poller.
CREATE TABLE leases (
    name    VARCHAR(200) NOT NULL PRIMARY KEY,
    owner   VARCHAR(200) NOT NULL,
    expires BIGINT       NOT NULL
);

-- Upstream tags the poller has dealt with, so that a new leader or a restart does not start them again.
CREATE TABLE poller_seen (
    tag  VARCHAR(200) NOT NULL PRIMARY KEY,
    seen BIGINT       NOT NULL
);
