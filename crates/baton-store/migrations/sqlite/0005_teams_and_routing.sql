-- Teams become rows of their own, with settings (office hours, strategy, SLA) and members,
-- replacing the free-text `users.team`.
CREATE TABLE teams (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE team_members (
    team_id TEXT NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (team_id, user_id)
);
-- Reading a user reads their teams.
CREATE INDEX team_members_by_user ON team_members (user_id);

-- What routing knows of a user: the languages they answer in (a JSON array; empty: any),
-- how many live chats they take (NULL: the policy's capacity), and when they were last
-- offered or given a handoff (round robin serves whoever waited longest).
ALTER TABLE users ADD COLUMN languages TEXT NOT NULL DEFAULT '[]';
ALTER TABLE users ADD COLUMN capacity BIGINT;
ALTER TABLE users ADD COLUMN last_assigned_at BIGINT;

-- Copied out of the document so recent assignments (waiting-time estimates) come from an index.
ALTER TABLE handoffs ADD COLUMN assigned_at BIGINT;
UPDATE handoffs SET assigned_at = json_extract(document, '$.assigned_at');
CREATE INDEX handoffs_by_assigned_at ON handoffs (assigned_at) WHERE assigned_at IS NOT NULL;

-- One team per distinct old value. Surrounding blanks were never meant to tell teams apart,
-- and a blank value named no team. The id is a random UUID (version 4) built by hand, as
-- SQLite has no UUID function; the team's creation is that of its first member.
INSERT INTO teams (id, name, settings, created_at)
SELECT lower(
           substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-4' || substr(h, 14, 3) || '-'
           || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(h, 18, 3) || '-' || substr(h, 21, 12)
       ),
       name, '{}', created_at
FROM (
    SELECT hex(randomblob(16)) AS h, trim(team) AS name, COALESCE(MIN(created_at), 0) AS created_at
    FROM users
    WHERE team IS NOT NULL AND trim(team) <> ''
    GROUP BY trim(team)
);

INSERT INTO team_members (team_id, user_id)
SELECT t.id, u.id FROM users u JOIN teams t ON t.name = trim(u.team);

ALTER TABLE users DROP COLUMN team;
