-- Attachments (baton_core::attachment): each is sent by a message of its own, which keeps a
-- copy of the file's name, type and size (`messages.attachment`, JSON) so reading a transcript
-- needs no join. The file itself is kept on disk beside the SQLite database (`path`, relative
-- to the attachments folder) or, on PostgreSQL, in the row (`content`).
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    message_id TEXT NOT NULL,
    name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL,
    path TEXT,
    content BYTEA,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_by_conversation ON attachments (conversation_id);
ALTER TABLE messages ADD COLUMN attachment TEXT;
