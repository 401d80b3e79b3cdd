-- The SMS digest of a campaign's updates: a keyword people text to subscribe
-- (opt-in), the subscribers (kept by a keyed hash of the phone, the phone sealed),
-- and what was last sent, so that each gets at most one digest a day and only news.
CREATE TABLE campaign_digests (
    space_id INTEGER PRIMARY KEY REFERENCES spaces(id) ON DELETE CASCADE,
    keyword TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    last_sent_at INTEGER NOT NULL DEFAULT 0,
    last_update_at INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE campaign_subscribers (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    phone_hash TEXT NOT NULL,
    phone_enc BLOB NOT NULL,
    channel_id INTEGER NOT NULL REFERENCES sms_channels(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (space_id, phone_hash)
);
