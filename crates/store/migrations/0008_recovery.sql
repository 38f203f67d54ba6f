-- Account recovery and the life of an account: "this wasn't me" links, the reset that a
-- disavowal forces, account resets that wait before clearing sign-in methods, and email
-- addresses waiting for confirmation.
-- Tokens are stored only as keyed fingerprints.

-- Set when the owner disavows a security email: the next sign-in must reset the password.
ALTER TABLE accounts ADD COLUMN password_reset_required BIGINT NOT NULL DEFAULT 0;

-- The single-use link in every security email (7 days).
CREATE TABLE disavow_tokens (
    token_hash TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX disavow_tokens_account ON disavow_tokens (account_id);

-- An account reset asked for by someone who has the password but none of the sign-in
-- methods, on an account without a verified identity: it waits until ready_at, while
-- the email address and phones on the account can cancel it.
CREATE TABLE account_resets (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    started_at BIGINT NOT NULL,
    ready_at BIGINT NOT NULL,
    cancelled_at BIGINT,
    completed_at BIGINT
);
CREATE INDEX account_resets_account ON account_resets (account_id, started_at);

-- A new email address waiting for its confirmation code (one per account); the account
-- keeps its old address until the code is entered.
CREATE TABLE email_changes (
    account_id TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    email_sealed TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Deleting an account leaves a tombstone (see docs/retention.md): when it was deleted,
-- and for a verified identity, when its SSN may be verified on another account.
ALTER TABLE accounts ADD COLUMN deleted_at BIGINT;
ALTER TABLE verified_ssns ADD COLUMN released_at BIGINT;

-- A verified person proving their identity again online to replace lost sign-in
-- methods (identity with the same SSN, then a financial account, then a phone in their
-- name): where they are, and the names matched (sealed) for the phone step.
CREATE TABLE identity_recoveries (
    account_id TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    step TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    claim_sealed TEXT
);
