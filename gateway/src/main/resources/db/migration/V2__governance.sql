-- Budgets and rate limits are policy on keys, teams and customers (JSON, checked by the admin API);
-- spend and rate windows are counters shared by every replica using this store.
ALTER TABLE virtual_keys ADD COLUMN budgets TEXT NOT NULL DEFAULT '[]';
ALTER TABLE virtual_keys ADD COLUMN rate_limit TEXT NOT NULL DEFAULT '{}';
ALTER TABLE teams ADD COLUMN budgets TEXT NOT NULL DEFAULT '[]';
ALTER TABLE teams ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE customers ADD COLUMN budgets TEXT NOT NULL DEFAULT '[]';
ALTER TABLE customers ADD COLUMN version BIGINT NOT NULL DEFAULT 1;

CREATE TABLE spend (
    scope          VARCHAR(60)  NOT NULL,
    period         VARCHAR(10)  NOT NULL,
    window_start   TIMESTAMP WITH TIME ZONE NOT NULL,
    spent_nanos    BIGINT       NOT NULL DEFAULT 0,
    reserved_nanos BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, period, window_start)
);

CREATE TABLE rate_windows (
    scope          VARCHAR(60)  NOT NULL,
    window_kind    VARCHAR(10)  NOT NULL,
    window_start   TIMESTAMP WITH TIME ZONE NOT NULL,
    requests       BIGINT       NOT NULL DEFAULT 0,
    tokens         BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (scope, window_kind, window_start)
);

CREATE TABLE usage_daily (
    usage_day      DATE         NOT NULL,
    key_id         VARCHAR(40)  NOT NULL,
    team_id        VARCHAR(40)  NOT NULL DEFAULT '',
    model          VARCHAR(256) NOT NULL,
    provider       VARCHAR(64)  NOT NULL,
    requests       BIGINT       NOT NULL DEFAULT 0,
    input_tokens   BIGINT       NOT NULL DEFAULT 0,
    output_tokens  BIGINT       NOT NULL DEFAULT 0,
    cached_tokens  BIGINT       NOT NULL DEFAULT 0,
    reasoning_tokens BIGINT     NOT NULL DEFAULT 0,
    cost_nanos     BIGINT       NOT NULL DEFAULT 0,
    PRIMARY KEY (usage_day, key_id, team_id, model, provider)
);
