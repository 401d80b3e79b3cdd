-- Writing to a representative by SMS: the keyword that starts it, and each phone's
-- draft (its step, place, representative, and the name and words so far, sealed)
-- until it is sent, cancelled or a day old.
ALTER TABLE campaign_settings ADD COLUMN sms_keyword TEXT;
CREATE TABLE rep_sms_drafts (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    phone_hash TEXT NOT NULL,
    channel_id INTEGER NOT NULL REFERENCES sms_channels(id) ON DELETE CASCADE,
    step TEXT NOT NULL,
    place_id INTEGER REFERENCES places(id) ON DELETE SET NULL,
    rep_id INTEGER REFERENCES representatives(record_id) ON DELETE CASCADE,
    choices TEXT NOT NULL DEFAULT '',
    name_enc BLOB,
    text_enc BLOB,
    lang TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (space_id, phone_hash)
);
