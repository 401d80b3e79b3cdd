-- Agenda rounds: groups and the public propose items for a negotiation or a
-- dialogue, participants support or object, organisers merge duplicates and close
-- the round into a brief. A round is a row of `records` (kind 'agenda_round').
CREATE TABLE agenda_rounds (
    round_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    is_open INTEGER NOT NULL,
    closed_at INTEGER,
    summary TEXT NOT NULL DEFAULT ''
);

-- status: pending (waits for moderation), approved, rejected, merged.
-- source_kind: proposal, concern, poll, statement.
CREATE TABLE agenda_items (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    merged_into INTEGER REFERENCES agenda_items(id) ON DELETE SET NULL,
    source_kind TEXT NOT NULL,
    source_id INTEGER,
    org_id INTEGER REFERENCES records(id) ON DELETE SET NULL,
    by_sms INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX agenda_items_round ON agenda_items(round_id, status);

-- One view per item and voter: `org:ID` (a member acting for an organisation),
-- `user:ID` (a member for themselves), `web:HASH` or `sms:HASH` (the public).
CREATE TABLE agenda_views (
    item_id INTEGER NOT NULL REFERENCES agenda_items(id) ON DELETE CASCADE,
    round_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    voter TEXT NOT NULL,
    org_id INTEGER REFERENCES records(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    stance INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    PRIMARY KEY (item_id, voter)
);
CREATE INDEX agenda_views_round ON agenda_views(round_id);

-- A phone in a round by SMS: the items it was last offered, by number.
CREATE TABLE agenda_sms (
    round_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    phone_hash TEXT NOT NULL,
    space_id INTEGER NOT NULL,
    offered TEXT NOT NULL,
    language TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (round_id, phone_hash)
);
