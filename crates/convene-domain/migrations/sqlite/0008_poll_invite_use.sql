-- An invitation link starts one respondent: when it was used.
ALTER TABLE poll_invites ADD COLUMN used_at INTEGER;
