-- The audit log: every staff action and identity decision, append-only and chained by
-- hash (each row holds the hash of the one before; see sa_domain::audit). Portable
-- between SQLite and PostgreSQL; times are epoch milliseconds.
--
-- No clear personal data: actor and subject are account ids; detail is canonical JSON
-- of ids, reason codes and counts.

CREATE TABLE audit_log (
    seq BIGINT NOT NULL PRIMARY KEY,
    at BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT,
    detail TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);

-- One row: the seq and hash of the last append. Appends update it first, which
-- serialises them (the write lock in SQLite, a row lock in PostgreSQL), and it lets
-- `audit verify` notice entries removed from the end.
CREATE TABLE audit_head (
    id BIGINT NOT NULL PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
