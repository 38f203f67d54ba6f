-- Secure Access schema, portable between SQLite (>= 3.24) and PostgreSQL.
-- Only TEXT and BIGINT columns: times are epoch milliseconds, ids are domain-made text,
-- booleans are 0/1. Child rows reference accounts(id) with deferred foreign keys, so a
-- change may insert rows in any order within its transaction.

CREATE TABLE accounts (
    id TEXT NOT NULL PRIMARY KEY,
    username TEXT NOT NULL,
    email_sealed TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    email_confirmed_at BIGINT,
    code_failures BIGINT NOT NULL DEFAULT 0,
    code_locked_until BIGINT,
    CONSTRAINT accounts_username_key UNIQUE (username)
);

CREATE TABLE one_time_codes (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    purpose TEXT NOT NULL,
    factor_id TEXT,
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT,
    attempts BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX one_time_codes_account_purpose ON one_time_codes (account_id, purpose, created_at);
CREATE INDEX one_time_codes_factor ON one_time_codes (factor_id);

CREATE TABLE factors (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    label TEXT NOT NULL,
    secret_sealed TEXT,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    last_used_at BIGINT,
    last_totp_step BIGINT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    disabled_at BIGINT
);
CREATE INDEX factors_account ON factors (account_id, created_at);

CREATE TABLE backup_codes (
    factor_id TEXT NOT NULL REFERENCES factors (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    code_hash TEXT NOT NULL,
    used_at BIGINT,
    PRIMARY KEY (factor_id, code_hash)
);

CREATE TABLE sessions (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    stage TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    factor_verified_at BIGINT,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE login_history (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    at BIGINT NOT NULL,
    ip TEXT NOT NULL,
    user_agent TEXT NOT NULL,
    method TEXT NOT NULL,
    success BIGINT NOT NULL,
    reason TEXT
);
CREATE INDEX login_history_account_at ON login_history (account_id, at);

CREATE TABLE security_events (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX security_events_account_at ON security_events (account_id, at);

CREATE TABLE known_devices (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    device_hash TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    PRIMARY KEY (account_id, device_hash)
);

CREATE TABLE attempt_counters (
    counter_key TEXT NOT NULL PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hit_count BIGINT NOT NULL
);

CREATE TABLE outbox (
    id TEXT NOT NULL PRIMARY KEY,
    created_at BIGINT NOT NULL,
    channel TEXT NOT NULL,
    payload_sealed TEXT,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until BIGINT,
    sent_at BIGINT,
    dead_at BIGINT,
    last_error TEXT,
    CONSTRAINT outbox_status_check CHECK (status IN ('pending', 'sent', 'dead'))
);
CREATE INDEX outbox_status_due ON outbox (status, next_attempt_at);
