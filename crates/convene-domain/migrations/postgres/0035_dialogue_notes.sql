-- What happened in a round, under the Chatham House rule: notes, off-the-record
-- items (named people only, always), decisions and action points. Each is a record
-- (kind 'dialogue_note') whose text is sealed; a speaker is stored only when they
-- consented to be named.
CREATE TABLE dialogue_notes (
    record_id BIGINT PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    round_id BIGINT NOT NULL REFERENCES dialogue_rounds(id) ON DELETE CASCADE,
    note_kind TEXT NOT NULL,
    body_enc BYTEA NOT NULL,
    speaker BIGINT REFERENCES dialogue_participants(id) ON DELETE SET NULL,
    owner TEXT NOT NULL DEFAULT '',
    due_on TEXT,
    done BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX dialogue_notes_round ON dialogue_notes(round_id);
