-- Concerns merged into another (their endorsements carried over), and concerns
-- promoted from an opinion conversation's statement (the link kept).
CREATE TABLE concern_merges (
    from_id BIGINT PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    into_id BIGINT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    merged_at BIGINT NOT NULL
);

CREATE TABLE concern_sources (
    concern_id BIGINT PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    conversation_id BIGINT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    statement_id BIGINT NOT NULL REFERENCES opinion_statements(id) ON DELETE CASCADE
);
