-- Every configuration change: who made it (null for Baton itself), when, to what, and the
-- fields that changed (JSON, secrets redacted). Kept for good: it is the workspace's history.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    actor_id TEXT,
    actor_name TEXT,
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    changes TEXT NOT NULL
);
CREATE INDEX audit_log_by_subject ON audit_log (subject_kind, subject_id, id);

-- One-time links to set a password (an invitation, or a reset an admin hands over): the
-- newest per user, stored as a hash, gone once used or expired.
CREATE TABLE password_links (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at BIGINT NOT NULL
);
