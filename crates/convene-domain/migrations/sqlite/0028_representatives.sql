-- Contact your representative.
--
-- Representatives (record kind campaign_representative): imported from Popolo or
-- CSV, or entered by organisers (community representatives); their area is a
-- place of the gazetteer; their contacts are sealed (the public never sees them).
CREATE TABLE representatives (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    source_id TEXT,
    community INTEGER NOT NULL DEFAULT 0,
    role TEXT NOT NULL DEFAULT '',
    organisation TEXT NOT NULL DEFAULT '',
    place_id INTEGER REFERENCES places(id) ON DELETE SET NULL,
    email_enc BLOB,
    phone_enc BLOB,
    address_enc BLOB,
    created_at INTEGER NOT NULL,
    UNIQUE (space_id, source_id)
);
CREATE INDEX representatives_place ON representatives (space_id, place_id);
-- Their public stance on the campaign's ask, with dated evidence; the latest counts.
CREATE TABLE representative_stances (
    id INTEGER PRIMARY KEY,
    rep_id INTEGER NOT NULL REFERENCES representatives(record_id) ON DELETE CASCADE,
    stance TEXT NOT NULL,
    stated_on TEXT NOT NULL,
    evidence TEXT NOT NULL,
    evidence_url TEXT NOT NULL DEFAULT '',
    recorded_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX representative_stances_rep ON representative_stances (rep_id, stated_on);
-- The campaign's settings for writing: its ask, the suggested points, the limits
-- and how long senders' data is kept.
CREATE TABLE campaign_settings (
    space_id INTEGER PRIMARY KEY REFERENCES spaces(id) ON DELETE CASCADE,
    ask TEXT NOT NULL DEFAULT '',
    points TEXT NOT NULL DEFAULT '',
    retention_days INTEGER NOT NULL DEFAULT 90,
    rep_daily_limit INTEGER NOT NULL DEFAULT 100,
    sender_daily_limit INTEGER NOT NULL DEFAULT 5
);
-- Messages to representatives. Who wrote is a keyed hash (for the limits); the
-- sender's name, contact and words are sealed and erased after the retention
-- period; what stays is the count (representative, district, status, reply).
CREATE TABLE rep_messages (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    rep_id INTEGER NOT NULL REFERENCES representatives(record_id) ON DELETE CASCADE,
    place_id INTEGER REFERENCES places(id) ON DELETE SET NULL,
    sender_hash TEXT NOT NULL,
    via TEXT NOT NULL,
    lang TEXT NOT NULL,
    name_enc BLOB,
    contact_enc BLOB,
    body_enc BLOB,
    channel_id INTEGER REFERENCES sms_channels(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    similarity REAL NOT NULL DEFAULT 0,
    token_hash TEXT,
    code_hash TEXT,
    code_attempts INTEGER NOT NULL DEFAULT 0,
    confirmed_at INTEGER,
    delivery TEXT,
    delivered_at INTEGER,
    mail_id INTEGER,
    moderated_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    moderation_reason TEXT,
    asked_at INTEGER,
    answer_hash TEXT,
    replied TEXT,
    answered_at INTEGER,
    signature TEXT,
    link_base TEXT NOT NULL DEFAULT '',
    erased_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX rep_messages_token ON rep_messages (token_hash);
CREATE UNIQUE INDEX rep_messages_answer ON rep_messages (answer_hash);
CREATE INDEX rep_messages_sender ON rep_messages (space_id, sender_hash, confirmed_at);
CREATE INDEX rep_messages_rep ON rep_messages (rep_id, confirmed_at);
CREATE INDEX rep_messages_due ON rep_messages (status, delivered_at);
CREATE INDEX rep_messages_age ON rep_messages (erased_at, created_at);
-- The bands of each kept message's MinHash signature, to find near copies.
CREATE TABLE rep_message_bands (
    message_id INTEGER NOT NULL REFERENCES rep_messages(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL,
    band INTEGER NOT NULL
);
CREATE INDEX rep_message_bands_band ON rep_message_bands (space_id, band);
CREATE INDEX rep_message_bands_message ON rep_message_bands (message_id);
-- A message may name where replies go (a sender writing to a representative).
ALTER TABLE mail_outbox ADD COLUMN reply_to_enc BLOB;
