-- Invitations: a single-use link that expires, through which a person joins a
-- space with a role (and, if given, acts for an organisation), creating their
-- account if they have none. Only the token's keyed hash is kept.
CREATE TABLE invitations (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,
    org_id INTEGER REFERENCES records(id) ON DELETE SET NULL,
    label TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    used_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    revoked_at INTEGER
);
CREATE INDEX invitations_space ON invitations(space_id, created_at);
