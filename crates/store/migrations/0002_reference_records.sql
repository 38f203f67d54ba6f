-- Reference records for identity proofing (docs/records.md), loaded by
-- `secure-access records import`. Portable between SQLite and PostgreSQL.
--
-- No clear personal data: the natural keys are keyed HMAC fingerprints (`*_fp`) of the
-- normalised SSN, account number or phone; the record itself is sealed (AES-256-GCM,
-- `record_sealed`). `content_fp` is the keyed fingerprint of the record's canonical
-- JSON, so a re-import can tell "unchanged" from "updated" without opening anything
-- (the sealed text differs on every seal because of its random nonce).
-- `imported_at` is epoch milliseconds of the import that last wrote the row.

CREATE TABLE tax_returns (
    ssn_fp TEXT NOT NULL,
    tax_year BIGINT NOT NULL,
    content_fp TEXT NOT NULL,
    record_sealed TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (ssn_fp, tax_year)
);

CREATE TABLE financial_accounts (
    ssn_fp TEXT NOT NULL,
    kind TEXT NOT NULL,
    account_fp TEXT NOT NULL,
    content_fp TEXT NOT NULL,
    record_sealed TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (ssn_fp, kind, account_fp)
);

CREATE TABLE phone_records (
    phone_fp TEXT NOT NULL PRIMARY KEY,
    content_fp TEXT NOT NULL,
    record_sealed TEXT NOT NULL,
    imported_at BIGINT NOT NULL
);
