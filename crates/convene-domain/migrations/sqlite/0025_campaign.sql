-- The campaign: the process's milestones (a public timeline) and progress updates,
-- each a record (kind campaign_update) with its language, its milestone and the time
-- before which nobody but the organisers sees it (the embargo).
CREATE TABLE campaign_milestones (
    id INTEGER PRIMARY KEY,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    phase TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    body TEXT NOT NULL DEFAULT '',
    due_on TEXT NOT NULL DEFAULT '',
    reached_on TEXT,
    position INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX campaign_milestones_space ON campaign_milestones (space_id, position);
CREATE TABLE campaign_updates (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    milestone_id INTEGER REFERENCES campaign_milestones(id) ON DELETE SET NULL,
    publish_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX campaign_updates_publish ON campaign_updates (publish_at);
