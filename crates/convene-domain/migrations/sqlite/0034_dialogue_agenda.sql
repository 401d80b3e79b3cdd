-- The agenda of a Track II series: items with their sensitivity, where they came
-- from (a funder's suggestion recorded as such), escalation notes, framing notes
-- per side, the poll or opinion conversation consulted, and where each item sits
-- in the rounds (on the agenda, or parked in a parallel format). Consultations are
-- records (kind 'dialogue_consultation', named people only by default) whose who
-- and what are sealed.
CREATE TABLE dialogue_items (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    sensitivity TEXT NOT NULL,
    source TEXT NOT NULL,
    source_note TEXT NOT NULL DEFAULT '',
    escalation TEXT NOT NULL DEFAULT '',
    linked_record INTEGER REFERENCES records(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX dialogue_items_series ON dialogue_items(series_id);
CREATE TABLE dialogue_item_framing (
    item_id INTEGER NOT NULL REFERENCES dialogue_items(id) ON DELETE CASCADE,
    side TEXT NOT NULL,
    notes TEXT NOT NULL,
    PRIMARY KEY (item_id, side)
);
CREATE TABLE dialogue_item_rounds (
    item_id INTEGER NOT NULL REFERENCES dialogue_items(id) ON DELETE CASCADE,
    round_id INTEGER NOT NULL REFERENCES dialogue_rounds(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    PRIMARY KEY (item_id, round_id)
);
CREATE TABLE dialogue_consultations (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES dialogue_items(id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    who_enc BLOB NOT NULL,
    summary_enc BLOB NOT NULL
);
CREATE INDEX dialogue_consultations_item ON dialogue_consultations(item_id);
