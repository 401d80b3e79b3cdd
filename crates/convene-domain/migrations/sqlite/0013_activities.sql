-- Local activities the public finds and joins: each space's time zone, an
-- activity's plan (place, times, venue, capacity, status, a short code to join by
-- SMS), who joined (confirmed or waiting), and the district each phone follows.
ALTER TABLE spaces ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';

CREATE TABLE activity_plans (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    place_id INTEGER REFERENCES places(id) ON DELETE SET NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    venue_enc BLOB,
    online INTEGER NOT NULL DEFAULT 0,
    venue_sensitive INTEGER NOT NULL DEFAULT 0,
    capacity INTEGER,
    status TEXT NOT NULL DEFAULT 'scheduled',
    attended INTEGER,
    version INTEGER NOT NULL DEFAULT 0,
    UNIQUE (space_id, code)
);
CREATE INDEX activity_plans_place ON activity_plans(space_id, place_id, starts_at);
CREATE INDEX activity_plans_start ON activity_plans(space_id, starts_at);

CREATE TABLE activity_joins (
    id INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    subject_hash TEXT,
    phone_hash TEXT,
    phone_enc BLOB,
    email_enc BLOB,
    name_enc BLOB,
    channel TEXT NOT NULL,
    sms_channel_id INTEGER REFERENCES sms_channels(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    joined_at INTEGER NOT NULL,
    reminded INTEGER NOT NULL DEFAULT 0,
    venue_sent INTEGER NOT NULL DEFAULT 0,
    attended INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX activity_joins_subject ON activity_joins(activity_id, subject_hash);
CREATE INDEX activity_joins_status ON activity_joins(activity_id, status, id);
CREATE INDEX activity_joins_phone ON activity_joins(space_id, phone_hash);

CREATE TABLE sms_districts (
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    phone_hash TEXT NOT NULL,
    place_id INTEGER NOT NULL REFERENCES places(id) ON DELETE CASCADE,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (space_id, phone_hash)
);

-- Private calendar feeds: one revocable token per member and space; the feed
-- reads activities at that member's levels.
CREATE TABLE calendar_tokens (
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    token_enc BLOB NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (space_id, user_id)
);
