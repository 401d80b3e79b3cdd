-- Organisations (stakeholder groups) and the concerns they endorse. An
-- organisation is a row of `records` (kind 'organisation'), so its level decides
-- who may see it; members of the space act for it through their own accounts.
CREATE TABLE organisations (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    side TEXT NOT NULL,
    sector TEXT NOT NULL,
    track INTEGER,
    contact_enc BLOB
);
CREATE INDEX organisations_space ON organisations(space_id, side);

CREATE TABLE organisation_members (
    org_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, user_id)
);

CREATE TABLE concern_endorsements (
    concern_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    note TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (concern_id, org_id)
);
CREATE INDEX concern_endorsements_org ON concern_endorsements(org_id);
