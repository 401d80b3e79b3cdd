-- Polls. A poll is a row of `records` (kind 'poll'), so the one confidentiality rule
-- applies to it; its definition, respondents and answers hang off it.
CREATE TABLE polls (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    slug TEXT NOT NULL UNIQUE,
    keyword TEXT,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    definition TEXT NOT NULL,
    access TEXT NOT NULL,
    is_open INTEGER NOT NULL DEFAULT 1,
    opens_at INTEGER,
    closes_at INTEGER,
    idle_timeout_secs INTEGER NOT NULL DEFAULT 86400,
    results_public INTEGER NOT NULL DEFAULT 0,
    margins TEXT NOT NULL DEFAULT '[]',
    summary TEXT NOT NULL DEFAULT '',
    version INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX polls_keyword ON polls(space_id, keyword);

CREATE TABLE poll_invites (
    id INTEGER PRIMARY KEY,
    poll_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (poll_id, token_hash)
);

CREATE TABLE poll_respondents (
    id INTEGER PRIMARY KEY,
    poll_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    subject_hash TEXT NOT NULL,
    phone_hash TEXT,
    phone_enc BLOB,
    sms_channel_id INTEGER REFERENCES sms_channels(id) ON DELETE SET NULL,
    language TEXT NOT NULL,
    status TEXT NOT NULL,
    awaiting TEXT,
    reasked INTEGER NOT NULL DEFAULT 0,
    summary_optin INTEGER NOT NULL DEFAULT 0,
    summary_sent INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    completed_at INTEGER,
    UNIQUE (poll_id, subject_hash)
);
CREATE INDEX poll_respondents_phone ON poll_respondents(space_id, phone_hash, status);
CREATE INDEX poll_respondents_idle ON poll_respondents(status, updated_at);

CREATE TABLE poll_answers (
    respondent_id INTEGER NOT NULL REFERENCES poll_respondents(id) ON DELETE CASCADE,
    poll_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    value TEXT,
    text_enc BLOB,
    answered_at INTEGER NOT NULL,
    PRIMARY KEY (respondent_id, question)
);
CREATE INDEX poll_answers_poll ON poll_answers(poll_id, question);

-- Codebook of a free-text question, and the codes analysts (or the rules) gave.
CREATE TABLE poll_codes (
    id INTEGER PRIMARY KEY,
    poll_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    code TEXT NOT NULL,
    description TEXT NOT NULL,
    rules TEXT NOT NULL,
    UNIQUE (poll_id, question, code)
);

CREATE TABLE poll_codings (
    respondent_id INTEGER NOT NULL REFERENCES poll_respondents(id) ON DELETE CASCADE,
    poll_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    coder INTEGER NOT NULL,
    codes TEXT NOT NULL,
    coded_at INTEGER NOT NULL,
    PRIMARY KEY (respondent_id, question, coder)
);
CREATE INDEX poll_codings_poll ON poll_codings(poll_id, question);

-- Results computed for a version of a poll's answers, so that a page never
-- recomputes 100,000 respondents on a request.
CREATE TABLE poll_results (
    poll_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    computed_at INTEGER NOT NULL,
    result TEXT NOT NULL
);
