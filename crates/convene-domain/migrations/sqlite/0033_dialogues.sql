-- Track II dialogues. A series is a row of `records` (kind 'dialogue_series'), so
-- the one confidentiality rule applies to it and to what hangs off it: its rounds
-- and parallel formats, the five steps, the risk register. A participant is a
-- contact (kind 'contact', whose level keeps a delegation's names at the named-
-- people level if its convener wishes) with the attributes the selection board
-- reads; the institution is sealed and kept as a keyed hash for grouping.
CREATE TABLE dialogue_series (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    sides TEXT NOT NULL,
    thresholds TEXT NOT NULL,
    conversations TEXT NOT NULL DEFAULT ''
);
CREATE TABLE dialogue_rounds (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    format TEXT NOT NULL,
    held_on TEXT NOT NULL,
    city TEXT NOT NULL,
    mode TEXT NOT NULL,
    parent_round INTEGER REFERENCES dialogue_rounds(id) ON DELETE SET NULL,
    notes TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX dialogue_rounds_series ON dialogue_rounds(series_id, held_on);
CREATE TABLE dialogue_steps (
    series_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    step INTEGER NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '',
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (series_id, step)
);
CREATE TABLE dialogue_risks (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    risk TEXT NOT NULL,
    likelihood INTEGER NOT NULL,
    impact INTEGER NOT NULL,
    mitigation TEXT NOT NULL,
    owner TEXT NOT NULL,
    reviewed_round INTEGER REFERENCES dialogue_rounds(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE TABLE dialogue_participants (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    contact_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    side TEXT NOT NULL,
    sector TEXT NOT NULL,
    gender TEXT NOT NULL,
    age_band TEXT NOT NULL,
    seniority TEXT NOT NULL,
    influence INTEGER NOT NULL,
    institution_enc BLOB,
    institution_hash TEXT,
    nominated_by INTEGER REFERENCES dialogue_participants(id) ON DELETE SET NULL,
    actor_id INTEGER REFERENCES records(id) ON DELETE SET NULL,
    withdrawn_on TEXT,
    created_at INTEGER NOT NULL,
    UNIQUE (series_id, contact_id)
);
CREATE TABLE dialogue_invites (
    round_id INTEGER NOT NULL REFERENCES dialogue_rounds(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES dialogue_participants(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, participant_id)
);
CREATE INDEX dialogue_invites_participant ON dialogue_invites(participant_id);
