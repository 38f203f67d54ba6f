-- Planned maintenance windows set by an admin: announced on every page beforehand,
-- and while one is active sign-in and sign-up answer 503 saying when service returns.
-- Portable between SQLite and PostgreSQL; times are epoch milliseconds. Cancelling
-- sets `cancelled_at` (rows are kept as a record; the audit log holds who did what).

CREATE TABLE maintenance_windows (
    id TEXT NOT NULL PRIMARY KEY,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    message TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    cancelled_at BIGINT
);
CREATE INDEX maintenance_windows_ends ON maintenance_windows (ends_at);
