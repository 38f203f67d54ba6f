-- Leases: one instance at a time holds a named lease (the scheduled jobs), until it
-- expires or is released, so several instances sharing one database run a job once.
CREATE TABLE leases (
    name TEXT NOT NULL PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
