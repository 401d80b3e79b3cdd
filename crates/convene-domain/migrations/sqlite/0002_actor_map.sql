-- The actor map. Waves, actors, observations and tie observations are rows of
-- `records` (the confidentiality envelope) plus these details tables.

CREATE TABLE actor_waves (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL
);

CREATE TABLE actors (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    name_enc BLOB NOT NULL,
    name_hash TEXT NOT NULL,
    actor_kind TEXT NOT NULL,
    tracks TEXT NOT NULL,
    side TEXT NOT NULL,
    location TEXT NOT NULL,
    tags TEXT NOT NULL
);
CREATE UNIQUE INDEX actors_space_name ON actors(space_id, name_hash);

CREATE TABLE actor_observations (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    actor_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    wave_id INTEGER REFERENCES records(id) ON DELETE SET NULL,
    observed_on TEXT NOT NULL,
    attitude INTEGER,
    influence INTEGER,
    interests TEXT NOT NULL,
    shared_values TEXT NOT NULL,
    positions TEXT NOT NULL,
    source TEXT NOT NULL,
    confidence TEXT NOT NULL,
    supersedes INTEGER REFERENCES records(id) ON DELETE SET NULL
);
CREATE INDEX actor_observations_actor ON actor_observations(actor_id, observed_on);

CREATE TABLE actor_ties (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    source_actor INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    target_actor INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    wave_id INTEGER REFERENCES records(id) ON DELETE SET NULL,
    observed_on TEXT NOT NULL,
    tie_kind TEXT NOT NULL,
    sign INTEGER NOT NULL,
    strength INTEGER NOT NULL,
    directed INTEGER NOT NULL,
    active INTEGER NOT NULL,
    source TEXT NOT NULL,
    confidence TEXT NOT NULL,
    supersedes INTEGER REFERENCES records(id) ON DELETE SET NULL
);
CREATE INDEX actor_ties_source ON actor_ties(source_actor);
CREATE INDEX actor_ties_target ON actor_ties(target_actor);
