-- A value sealed under the key, so that a server started with a missing or wrong key
-- file refuses to run instead of sealing new data under another key.
CREATE TABLE key_check (id INTEGER PRIMARY KEY, sealed BLOB NOT NULL);
