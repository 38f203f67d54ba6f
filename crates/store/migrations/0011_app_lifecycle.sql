-- Refresh tokens (OAuth 2.0 `refresh_token` grant, OIDC `offline_access`): kept as
-- SHA-256 hashes like access tokens. Each use marks the token used and issues a new
-- one of the same grant (`code_hash`: the code whose exchange began it); a used token
-- presented again revokes every access and refresh token of that grant.
CREATE TABLE oidc_refresh_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    code_hash TEXT NOT NULL,
    client_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    acr TEXT NOT NULL,
    amr TEXT NOT NULL,
    auth_time BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    grant_expires_at BIGINT NOT NULL,
    used_at BIGINT,
    revoked_at BIGINT
);
CREATE INDEX oidc_refresh_tokens_grant ON oidc_refresh_tokens (code_hash);
CREATE INDEX oidc_refresh_tokens_account ON oidc_refresh_tokens (account_id, client_id);
CREATE INDEX oidc_refresh_tokens_expiry ON oidc_refresh_tokens (expires_at);
CREATE INDEX oidc_tokens_account ON oidc_tokens (account_id, client_id);

-- Where an app hears about its users: Security Event Tokens pushed to `events_uri`
-- (RFC 8935) and logout tokens posted to `backchannel_logout_uri` (OpenID Connect
-- Back-Channel Logout 1.0).
ALTER TABLE oidc_clients ADD COLUMN events_uri TEXT;
ALTER TABLE oidc_clients ADD COLUMN backchannel_logout_uri TEXT;

-- What apps must hear about an account, written in the transaction of the change that
-- caused it, then turned into one signed token per app in the outbox (and marked
-- dispatched) in one more transaction. `audience`: the apps of an account being
-- deleted, fixed when it is (its consents go with it); otherwise the account's
-- connected apps when dispatched.
CREATE TABLE app_events (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL,
    audience TEXT,
    created_at BIGINT NOT NULL,
    dispatched_at BIGINT
);
CREATE INDEX app_events_pending ON app_events (dispatched_at, created_at);

-- Each token sent to an app, by outbox message: `apps show` joins it with the outbox to
-- say whether the app is hearing (sent, waiting, given up).
CREATE TABLE app_deliveries (
    message_id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX app_deliveries_client ON app_deliveries (client_id, created_at);
