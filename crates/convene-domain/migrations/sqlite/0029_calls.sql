-- Calls to action (record kind campaign_call): people sign up (by web, confirmed by
-- e-mail, or by SMS keyword), later report what they did (record kind
-- campaign_report, kept for the organisers until they publish it), with a photo if
-- they like. Sign-ups are kept by a keyed hash of the contact, the contact sealed and
-- erased when the call closes (or after a year).
CREATE TABLE calls (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    keyword TEXT,
    closes_at INTEGER,
    signups INTEGER NOT NULL DEFAULT 0,
    erased_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE TABLE call_signups (
    id INTEGER PRIMARY KEY,
    call_id INTEGER NOT NULL REFERENCES calls(record_id) ON DELETE CASCADE,
    who_hash TEXT NOT NULL,
    via TEXT NOT NULL,
    contact_enc BLOB,
    channel_id INTEGER REFERENCES sms_channels(id) ON DELETE SET NULL,
    place_id INTEGER REFERENCES places(id) ON DELETE SET NULL,
    lang TEXT NOT NULL,
    link_base TEXT NOT NULL DEFAULT '',
    token_hash TEXT,
    report_hash TEXT,
    confirmed_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (call_id, who_hash)
);
CREATE UNIQUE INDEX call_signups_token ON call_signups (token_hash);
CREATE UNIQUE INDEX call_signups_report ON call_signups (report_hash);
CREATE INDEX call_signups_place ON call_signups (call_id, place_id);
CREATE TABLE call_reports (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    call_id INTEGER NOT NULL REFERENCES calls(record_id) ON DELETE CASCADE,
    signup_id INTEGER REFERENCES call_signups(id) ON DELETE SET NULL,
    place_id INTEGER REFERENCES places(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    moderated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    moderated_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX call_reports_call ON call_reports (call_id, status);
-- What the public flags as abusive, for the moderators' queue.
CREATE TABLE abuse_flags (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    handled_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    handled_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX abuse_flags_open ON abuse_flags (space_id, status);
