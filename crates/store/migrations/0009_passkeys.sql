-- Passkeys and security keys (WebAuthn), the sign-in method a session was raised with,
-- WebAuthn ceremonies waiting for the authenticator's answer, and accounts an admin
-- turned off.

-- The factor that raised the session: totp, sms, backup_code or passkey (NULL before
-- a second factor, and for sessions opened before this migration).
ALTER TABLE sessions ADD COLUMN auth_method TEXT;

-- Set while an admin has turned the account off: nobody signs in until it is turned on.
ALTER TABLE accounts ADD COLUMN disabled_at BIGINT;

-- One row per passkey factor: the credential id (base64url, unique across accounts),
-- the public credential as webauthn-rs keeps it (public key, counter, flags; no
-- secret), and the sign counter and backup flags read at the last use.
CREATE TABLE passkeys (
    factor_id TEXT NOT NULL PRIMARY KEY REFERENCES factors (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    credential_id TEXT NOT NULL,
    credential TEXT NOT NULL,
    sign_count BIGINT NOT NULL,
    backup_eligible BIGINT NOT NULL,
    backup_state BIGINT NOT NULL,
    CONSTRAINT passkeys_credential_key UNIQUE (credential_id)
);
CREATE INDEX passkeys_account ON passkeys (account_id);

-- A WebAuthn ceremony waiting for the authenticator: its state (holding the challenge)
-- sealed, who it is for, and when it stops being accepted. A ceremony is deleted by the
-- guarded write that finishes it, so a challenge works once.
CREATE TABLE webauthn_challenges (
    id TEXT NOT NULL PRIMARY KEY,
    purpose TEXT NOT NULL,
    account_id TEXT,
    session_id TEXT,
    factor_id TEXT,
    state_sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX webauthn_challenges_expiry ON webauthn_challenges (expires_at);
