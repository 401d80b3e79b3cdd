-- The gazetteer of a space: administrative places (1 region, 2 district,
-- 3 sub-district) with their P-codes, names in several languages and, optionally,
-- a simplified boundary. Places are not confidential: whoever sees the space sees
-- its gazetteer.
CREATE TABLE places (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    level INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    names TEXT NOT NULL DEFAULT '{}',
    search_text TEXT NOT NULL,
    parent_id INTEGER REFERENCES places(id) ON DELETE SET NULL,
    boundary TEXT,
    UNIQUE (space_id, code)
);
CREATE INDEX places_parent ON places(space_id, parent_id, name);
CREATE INDEX places_level ON places(space_id, level, name);
