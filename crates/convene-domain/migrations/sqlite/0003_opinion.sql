-- Opinion mapping. A conversation is a row of `records` (kind 'conversation'), so the
-- one confidentiality rule applies to it; statements and votes hang off it.
CREATE TABLE opinion_conversations (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    is_open INTEGER NOT NULL DEFAULT 1,
    allow_statements INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE opinion_participants (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,
    cookie_hash TEXT,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX opinion_participants_user ON opinion_participants(conversation_id, user_id);
CREATE UNIQUE INDEX opinion_participants_cookie ON opinion_participants(conversation_id, cookie_hash);

CREATE TABLE opinion_statements (
    id INTEGER PRIMARY KEY,
    conversation_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    author_participant_id INTEGER REFERENCES opinion_participants(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    is_seed INTEGER NOT NULL DEFAULT 0,
    vote_count INTEGER NOT NULL DEFAULT 0,
    reject_reason TEXT,
    created_at INTEGER NOT NULL,
    moderated_at INTEGER
);
CREATE INDEX opinion_statements_conv ON opinion_statements(conversation_id, status);

CREATE TABLE opinion_votes (
    statement_id INTEGER NOT NULL REFERENCES opinion_statements(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES opinion_participants(id) ON DELETE CASCADE,
    conversation_id INTEGER NOT NULL,
    vote INTEGER NOT NULL,
    voted_at INTEGER NOT NULL,
    PRIMARY KEY (statement_id, participant_id)
);
CREATE INDEX opinion_votes_participant ON opinion_votes(participant_id, statement_id);
CREATE INDEX opinion_votes_conv ON opinion_votes(conversation_id);

CREATE TABLE opinion_analysis (
    conversation_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    computed_at INTEGER NOT NULL,
    result TEXT NOT NULL
);
