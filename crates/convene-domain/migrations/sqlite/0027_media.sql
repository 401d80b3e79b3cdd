-- Media (photos, and later video) illustrating a record: the record's visibility is
-- the media's. Each medium has variants (widths of a photo); each variant's bytes
-- are sealed in chunks, so that a range of a large file is read without the rest
-- and every server of a deployment serves what another stored.
CREATE TABLE media (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    record_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    alt TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    position INTEGER NOT NULL,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX media_record ON media (record_id, position);
CREATE TABLE media_variants (
    id INTEGER PRIMARY KEY,
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mime TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    size INTEGER NOT NULL,
    chunks INTEGER NOT NULL,
    UNIQUE (media_id, name)
);
CREATE TABLE media_chunks (
    variant_id INTEGER NOT NULL REFERENCES media_variants(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    bytes_enc BLOB NOT NULL,
    PRIMARY KEY (variant_id, seq)
);
