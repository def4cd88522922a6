-- Saved replies: shared with the team (owner_id '') or a user's own, per shortcut and
-- language ('' for any); a user's own go with them.
CREATE TABLE canned_responses (
    id TEXT PRIMARY KEY,
    owner_id TEXT NOT NULL,
    shortcut TEXT NOT NULL,
    language TEXT NOT NULL,
    text TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (owner_id, shortcut, language)
);
