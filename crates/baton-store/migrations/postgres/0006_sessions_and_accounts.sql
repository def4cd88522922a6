-- Sessions end after a while without use and after a fixed lifetime: `last_used_at` is when
-- the session was last used (written at most once a minute).
ALTER TABLE sessions ADD COLUMN last_used_at BIGINT NOT NULL DEFAULT 0;
UPDATE sessions SET last_used_at = created_at;
CREATE INDEX sessions_user ON sessions (user_id);

-- A disabled user cannot log in, has no sessions, and is never routed a conversation.
ALTER TABLE users ADD COLUMN disabled BIGINT NOT NULL DEFAULT 0;
