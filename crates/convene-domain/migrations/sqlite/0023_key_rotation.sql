-- The rotation of the sealing key under way or last finished: the key every sealed
-- value is being moved to. Progress needs no cursor: a value still under another key
-- is found by its first bytes, so an interrupted rotation resumes where it stopped.
CREATE TABLE key_rotation (
    id INTEGER PRIMARY KEY,
    target_key INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    resealed INTEGER NOT NULL DEFAULT 0
);
