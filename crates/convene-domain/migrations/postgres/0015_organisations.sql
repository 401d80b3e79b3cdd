-- Organisations (stakeholder groups) and the concerns they endorse. An
-- organisation is a row of `records` (kind 'organisation'), so its level decides
-- who may see it; members of the space act for it through their own accounts.
CREATE TABLE organisations (
    record_id BIGINT PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id BIGINT NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    side TEXT NOT NULL,
    sector TEXT NOT NULL,
    track BIGINT,
    contact_enc BYTEA
);
CREATE INDEX organisations_space ON organisations(space_id, side);

CREATE TABLE organisation_members (
    org_id BIGINT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (org_id, user_id)
);

CREATE TABLE concern_endorsements (
    concern_id BIGINT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    org_id BIGINT NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    user_id BIGINT REFERENCES users(id) ON DELETE SET NULL,
    note TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (concern_id, org_id)
);
CREATE INDEX concern_endorsements_org ON concern_endorsements(org_id);
