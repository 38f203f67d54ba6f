-- When each window counter's window ends, so the scheduled jobs can remove counters whose
-- window is over: there is one per username, address, SSN or phone tried, and without
-- this they would stay for ever. A counter from before this column is given a year (no
-- limit's window is longer by default); its next count sets its real end.
ALTER TABLE attempt_counters ADD COLUMN window_ends_at BIGINT;
UPDATE attempt_counters SET window_ends_at = window_start + 31622400000;
CREATE INDEX attempt_counters_window_ends ON attempt_counters (window_ends_at);
