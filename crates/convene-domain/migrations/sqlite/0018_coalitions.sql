-- Coalitions: organisations around concerns, with a charter, coordinators, and the
-- history of who joined and left. A coalition is a row of `records` (kind
-- 'coalition'). An organisation may belong without being named publicly.
CREATE TABLE coalition_orgs (
    id INTEGER PRIMARY KEY,
    coalition_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    org_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    listed INTEGER NOT NULL,
    joined_on TEXT NOT NULL,
    left_on TEXT
);
CREATE INDEX coalition_orgs_coalition ON coalition_orgs(coalition_id, left_on);

CREATE TABLE coalition_concerns (
    coalition_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    concern_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    PRIMARY KEY (coalition_id, concern_id)
);

CREATE TABLE coalition_coordinators (
    coalition_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (coalition_id, user_id)
);
