-- SMS channels, the durable inbound store, opt-outs and the outbound queue.

CREATE TABLE sms_channels (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    gateway TEXT NOT NULL,
    name TEXT NOT NULL,
    number TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    key_enc BLOB NOT NULL,
    secret_enc BLOB NOT NULL,
    settings TEXT NOT NULL,
    rate_per_sec REAL NOT NULL,
    next_send_ms INTEGER NOT NULL DEFAULT 0,
    languages TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE sms_inbound (
    id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES sms_channels(id) ON DELETE CASCADE,
    gateway_id TEXT NOT NULL,
    phone_hash TEXT NOT NULL,
    phone_enc BLOB NOT NULL,
    body_enc BLOB NOT NULL,
    outcome TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    UNIQUE (channel_id, gateway_id)
);
CREATE INDEX sms_inbound_phone ON sms_inbound(channel_id, phone_hash);

CREATE TABLE sms_optouts (
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    phone_hash TEXT NOT NULL,
    opted_out_at INTEGER NOT NULL,
    PRIMARY KEY (space_id, phone_hash)
);

CREATE TABLE sms_outbound (
    id INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL REFERENCES sms_channels(id) ON DELETE CASCADE,
    inbound_id INTEGER REFERENCES sms_inbound(id) ON DELETE SET NULL,
    phone_hash TEXT NOT NULL,
    phone_enc BLOB NOT NULL,
    body_enc BLOB NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    locked_until INTEGER NOT NULL DEFAULT 0,
    gateway_id TEXT,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX sms_outbound_due ON sms_outbound(status, next_attempt_at);
CREATE INDEX sms_outbound_gateway ON sms_outbound(channel_id, gateway_id);
