-- Identity proofing: the applicant's case (where they are in the flow), every attempt
-- with its reason codes, the one-verified-account-per-SSN register, activation letters
-- and staff roles. Portable between SQLite and PostgreSQL; times are epoch milliseconds.
--
-- No clear personal data: SSNs appear only as keyed fingerprints (`*_fp`); names,
-- addresses, phones and letter codes awaiting print are sealed (`*_sealed`, AES-256-GCM).

ALTER TABLE accounts ADD COLUMN identity_verified_at BIGINT;
-- How the identity was verified: online | mail (staff paths add their own).
ALTER TABLE accounts ADD COLUMN identity_verified_by TEXT;

-- One row per account that has started proofing; `step` is where it stands.
CREATE TABLE proofing_cases (
    account_id TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    step TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    -- Set once the identity step matched: the SSN fingerprint and the sealed claim
    -- (name and the address of record) later steps and letters need.
    ssn_fp TEXT,
    claim_sealed TEXT,
    -- The phone awaiting its confirmation code during the phone step.
    phone_sealed TEXT,
    verified_at BIGINT
);
CREATE INDEX proofing_cases_ssn ON proofing_cases (ssn_fp);

-- Every decision, with machine-readable reason codes (space-separated), for staff
-- and the funnel report.
CREATE TABLE proofing_attempts (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    at BIGINT NOT NULL,
    step TEXT NOT NULL,
    result TEXT NOT NULL,
    reasons TEXT NOT NULL
);
CREATE INDEX proofing_attempts_account ON proofing_attempts (account_id, at);
CREATE INDEX proofing_attempts_at ON proofing_attempts (at);

-- One verified account per SSN.
CREATE TABLE verified_ssns (
    ssn_fp TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    verified_at BIGINT NOT NULL
);

-- Activation letters. The code is kept as a keyed fingerprint; what the printer needs
-- (name, address block, code) is sealed in `print_sealed` until the letter is printed,
-- then erased.
CREATE TABLE letters (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    code_hash TEXT NOT NULL,
    print_sealed TEXT,
    printed_at BIGINT,
    print_batch TEXT,
    reminder_sent_at BIGINT,
    activated_at BIGINT,
    expired_at BIGINT
);
CREATE INDEX letters_account ON letters (account_id, created_at);
CREATE INDEX letters_printed ON letters (printed_at);

-- Staff roles (help_desk, assistance_center, admin); more than one per account allowed.
CREATE TABLE staff_roles (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    PRIMARY KEY (account_id, role)
);
