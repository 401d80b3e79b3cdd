-- Concerns merged into another (their endorsements carried over), and concerns
-- promoted from an opinion conversation's statement (the link kept).
CREATE TABLE concern_merges (
    from_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    into_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    merged_at INTEGER NOT NULL
);

CREATE TABLE concern_sources (
    concern_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    statement_id INTEGER NOT NULL REFERENCES opinion_statements(id) ON DELETE CASCADE
);
