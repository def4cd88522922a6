-- The email channel: how far each mailbox has been read (IMAP UIDs are valid only with their
-- mailbox's UIDVALIDITY), and every mail of a conversation's thread, received or sent, so a
-- reply finds its conversation by In-Reply-To or References and answers keep the thread.
CREATE TABLE email_mailboxes (
    channel_id TEXT PRIMARY KEY REFERENCES channels(id) ON DELETE CASCADE,
    uid_validity BIGINT NOT NULL,
    last_uid BIGINT NOT NULL
);
CREATE TABLE email_messages (
    message_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX email_messages_by_conversation ON email_messages (conversation_id, created_at);
