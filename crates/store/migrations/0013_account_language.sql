-- The language messages and letters to a person are written in: the one they signed
-- up in, or the one they last chose on a page while signed in ("en", "es").
ALTER TABLE accounts ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
