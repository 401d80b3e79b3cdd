-- USSD menus: where a session stands in a poll (how many of the session's inputs
-- were read, and which page of a long choice list is shown).
ALTER TABLE poll_respondents ADD COLUMN ussd_seen INTEGER NOT NULL DEFAULT 0;
ALTER TABLE poll_respondents ADD COLUMN ussd_page INTEGER NOT NULL DEFAULT 0;
CREATE INDEX poll_respondents_subject ON poll_respondents(space_id, subject_hash);
