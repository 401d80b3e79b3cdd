-- The organisation that organises an activity: one of the space's organisations,
-- or (from an imported 3W file) the name as the file gave it.
ALTER TABLE activity_plans ADD COLUMN org_id INTEGER REFERENCES records(id) ON DELETE SET NULL;
ALTER TABLE activity_plans ADD COLUMN org_name TEXT NOT NULL DEFAULT '';
