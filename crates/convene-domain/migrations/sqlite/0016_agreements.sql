-- After an agreement: its provisions, each provision's implementation status on the
-- Peace Accords Matrix scale with dated evidence (a history), and the activities
-- that implement it. An agreement is a row of `records` (kind 'agreement').
CREATE TABLE agreements (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    signed_on TEXT NOT NULL
);

CREATE TABLE provisions (
    id INTEGER PRIMARY KEY,
    agreement_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    number TEXT NOT NULL,
    body TEXT NOT NULL,
    position INTEGER NOT NULL,
    UNIQUE (agreement_id, number)
);

CREATE TABLE provision_status (
    id INTEGER PRIMARY KEY,
    provision_id INTEGER NOT NULL REFERENCES provisions(id) ON DELETE CASCADE,
    status INTEGER NOT NULL,
    as_of TEXT NOT NULL,
    evidence TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX provision_status_provision ON provision_status(provision_id, as_of, id);

CREATE TABLE provision_links (
    provision_id INTEGER NOT NULL REFERENCES provisions(id) ON DELETE CASCADE,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    PRIMARY KEY (provision_id, record_id)
);
