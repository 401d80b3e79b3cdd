-- Pledges (record kind campaign_pledge): "I will ... if N others will too", with a
-- target, a deadline and an optional SMS keyword; `signers` counts the confirmed
-- signers and is kept in the transaction that confirms one. Signers are kept by a
-- keyed hash of their e-mail address or phone (one signature each), their contact
-- sealed, and erased once the deadline has passed and the last notices are queued.
CREATE TABLE pledges (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    target INTEGER NOT NULL,
    deadline INTEGER NOT NULL,
    keyword TEXT,
    status TEXT NOT NULL DEFAULT 'open',
    signers INTEGER NOT NULL DEFAULT 0,
    tipped_at INTEGER,
    closed_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX pledges_due ON pledges (closed_at, deadline);
CREATE TABLE pledge_signers (
    id INTEGER PRIMARY KEY,
    pledge_id INTEGER NOT NULL REFERENCES pledges(record_id) ON DELETE CASCADE,
    who_hash TEXT NOT NULL,
    via TEXT NOT NULL,
    contact_enc BLOB,
    channel_id INTEGER REFERENCES sms_channels(id) ON DELETE SET NULL,
    place_id INTEGER REFERENCES places(id) ON DELETE SET NULL,
    lang TEXT NOT NULL,
    token_hash TEXT,
    confirmed_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (pledge_id, who_hash)
);
CREATE UNIQUE INDEX pledge_signers_token ON pledge_signers (token_hash);
CREATE INDEX pledge_signers_place ON pledge_signers (pledge_id, place_id);
