-- The e-mail outbox: every message the product sends, sealed, with its fixed
-- Message-ID token, its attempts and its lease.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY,
    token TEXT NOT NULL UNIQUE,
    purpose TEXT NOT NULL,
    space_id INTEGER REFERENCES spaces(id) ON DELETE CASCADE,
    to_enc BLOB NOT NULL,
    subject_enc BLOB NOT NULL,
    body_enc BLOB NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    last_error TEXT
);
CREATE INDEX mail_outbox_due ON mail_outbox (status, next_attempt_at);
