-- The SMS dispatcher: one keyword namespace per space for every flow that converses
-- by SMS (polls, opinion conversations, ...), and the flow each phone is in now.
CREATE TABLE sms_keywords (
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    keyword TEXT NOT NULL,
    flow TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    PRIMARY KEY (space_id, keyword)
);
CREATE INDEX sms_keywords_ref ON sms_keywords(flow, ref_id);
INSERT INTO sms_keywords (space_id, keyword, flow, ref_id)
    SELECT space_id, keyword, 'poll', record_id FROM polls WHERE keyword IS NOT NULL;

CREATE TABLE sms_current (
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    phone_hash TEXT NOT NULL,
    flow TEXT NOT NULL,
    ref_id INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (space_id, phone_hash)
);

-- Opinion conversations by SMS: where each phone stands in a conversation.
CREATE TABLE opinion_sms (
    conversation_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    phone_hash TEXT NOT NULL,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    participant_id INTEGER NOT NULL REFERENCES opinion_participants(id) ON DELETE CASCADE,
    language TEXT NOT NULL,
    awaiting INTEGER,
    reasked INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, phone_hash)
);
CREATE INDEX opinion_sms_phone ON opinion_sms(space_id, phone_hash);
