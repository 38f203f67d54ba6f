-- OpenID Connect provider: signing keys (private parts sealed), registered apps,
-- pending authorization requests, one-time codes, access tokens, consents and the
-- client-assertion ids already seen. Codes and tokens are stored as SHA-256 hashes.

CREATE TABLE signing_keys (
    kid TEXT NOT NULL PRIMARY KEY,
    alg TEXT NOT NULL,
    private_sealed TEXT NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    -- Set when a newer key replaced it; it stays in the JWKS until `publish_until`.
    retired_at BIGINT,
    publish_until BIGINT
);

CREATE TABLE oidc_clients (
    client_id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL,
    redirect_uris TEXT NOT NULL,
    post_logout_redirect_uris TEXT NOT NULL,
    -- private_key_jwt | client_secret_basic | none (public client: PKCE required)
    auth_method TEXT NOT NULL,
    secret_hash TEXT,
    jwks TEXT,
    scopes TEXT NOT NULL,
    -- 1 (authentication only) or 2 (verified identity)
    required_ial BIGINT NOT NULL,
    id_token_alg TEXT NOT NULL,
    can_receive_ssn BIGINT NOT NULL,
    -- For client_credentials: the verified account the app acts for.
    machine_account_id TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE oidc_requests (
    id TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL,
    params TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE oidc_codes (
    code_hash TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT,
    code_challenge TEXT,
    auth_time BIGINT NOT NULL,
    acr TEXT NOT NULL,
    amr TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE oidc_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    client_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    acr TEXT NOT NULL,
    code_hash TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX oidc_tokens_code ON oidc_tokens (code_hash);

CREATE TABLE oidc_consents (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    client_id TEXT NOT NULL,
    scope TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    revoked_at BIGINT,
    PRIMARY KEY (account_id, client_id)
);

CREATE TABLE oidc_assertion_ids (
    jti_hash TEXT NOT NULL PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
