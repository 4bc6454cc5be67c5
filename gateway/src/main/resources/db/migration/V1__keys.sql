-- Customers own teams; teams own virtual keys. Keys are stored only as SHA-256 hashes.
CREATE TABLE customers (
    id          VARCHAR(40)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL UNIQUE,
    metadata    TEXT         NOT NULL DEFAULT '{}',
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at  TIMESTAMP WITH TIME ZONE
);

CREATE TABLE teams (
    id          VARCHAR(40)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL UNIQUE,
    customer_id VARCHAR(40)  REFERENCES customers(id),
    metadata    TEXT         NOT NULL DEFAULT '{}',
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    deleted_at  TIMESTAMP WITH TIME ZONE
);

CREATE TABLE virtual_keys (
    id          VARCHAR(40)  PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    key_hash    CHAR(64)     NOT NULL UNIQUE,
    key_hint    VARCHAR(20)  NOT NULL,
    owner       VARCHAR(200),
    team_id     VARCHAR(40)  REFERENCES teams(id),
    models      TEXT         NOT NULL DEFAULT '[]',
    providers   TEXT         NOT NULL DEFAULT '[]',
    metadata    TEXT         NOT NULL DEFAULT '{}',
    expires_at  TIMESTAMP WITH TIME ZONE,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE,
    version     BIGINT       NOT NULL DEFAULT 1
);

CREATE INDEX virtual_keys_team ON virtual_keys(team_id);
