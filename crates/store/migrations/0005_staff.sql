-- Exception processing by staff: temporary passwords issued by the help desk, the
-- knowledge checks it runs on the phone, and sealed in-person verification records.
-- No clear personal data: document details are sealed; lookups use keyed fingerprints.

-- Where the case came from when staff verified it, and a fingerprint of the typed last
-- name and date of birth so the help desk can find a caller who has no username.
ALTER TABLE proofing_cases ADD COLUMN lookup_fp TEXT;
ALTER TABLE proofing_cases ADD COLUMN staff_method TEXT;
CREATE INDEX proofing_cases_lookup ON proofing_cases (lookup_fp);

-- A password issued by the help desk: single use, changed at the next sign-in, 24 h.
CREATE TABLE temporary_passwords (
    account_id TEXT NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    password_hash TEXT NOT NULL,
    issued_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

-- Set when the account signed in with a temporary password and must choose a new one.
ALTER TABLE accounts ADD COLUMN password_change_required BIGINT NOT NULL DEFAULT 0;

-- Knowledge checks: the questions drawn (ids only; answers are computed from the returns
-- when scored) and how the check ended.
CREATE TABLE knowledge_checks (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    staff_id TEXT NOT NULL,
    ssn_fp TEXT NOT NULL,
    question_ids TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    answered_at BIGINT,
    result TEXT
);
CREATE INDEX knowledge_checks_account ON knowledge_checks (account_id, created_at);

-- In-person verification at an assistance center; read-only once sealed.
CREATE TABLE in_person_records (
    id TEXT NOT NULL PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    office TEXT NOT NULL,
    staff_id TEXT NOT NULL,
    ssn_fp TEXT,
    documents_sealed TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    completed_at BIGINT,
    completed_by TEXT
);
CREATE INDEX in_person_records_account ON in_person_records (account_id, created_at);
