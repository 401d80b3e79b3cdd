-- Where a record (a concern, above all) is about: a place of the gazetteer. The 3W
-- map marks districts whose concerns have no activity.
CREATE TABLE record_places (
    record_id BIGINT PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    place_id BIGINT NOT NULL REFERENCES places(id) ON DELETE CASCADE
);
CREATE INDEX record_places_place ON record_places(place_id);
