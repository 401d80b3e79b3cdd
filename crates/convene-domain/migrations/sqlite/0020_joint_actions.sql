-- Joint actions: a plan attached to a concern or a coalition, with tasks owned by
-- organisations, due dates and statuses, and progress notes. An action is a row of
-- `records` (kind 'joint_action').
CREATE TABLE joint_actions (
    record_id INTEGER PRIMARY KEY REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    concern_id INTEGER REFERENCES records(id) ON DELETE SET NULL,
    coalition_id INTEGER REFERENCES records(id) ON DELETE SET NULL
);
CREATE INDEX joint_actions_space ON joint_actions(space_id);

-- status: todo, doing, blocked, done.
CREATE TABLE action_tasks (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    space_id INTEGER NOT NULL REFERENCES spaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    org_id INTEGER REFERENCES records(id) ON DELETE SET NULL,
    due_on TEXT,
    status TEXT NOT NULL,
    blocked_reason TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX action_tasks_action ON action_tasks(action_id);
CREATE INDEX action_tasks_space ON action_tasks(space_id, status);

CREATE TABLE action_notes (
    id INTEGER PRIMARY KEY,
    action_id INTEGER NOT NULL REFERENCES records(id) ON DELETE CASCADE,
    task_id INTEGER REFERENCES action_tasks(id) ON DELETE SET NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX action_notes_action ON action_notes(action_id, created_at);
