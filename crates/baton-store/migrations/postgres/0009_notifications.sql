-- How each user wants to hear of waiting chats by email, and every mail sent: at most one per
-- recipient, kind and what it is about (a handoff, or a message), however often it is asked for.
ALTER TABLE users ADD COLUMN notify_email BIGINT NOT NULL DEFAULT 1;
ALTER TABLE users ADD COLUMN email_after_seconds BIGINT NOT NULL DEFAULT 60;
ALTER TABLE users ADD COLUMN email_language TEXT;

CREATE TABLE email_log (
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    about TEXT NOT NULL,
    sent_at BIGINT NOT NULL,
    PRIMARY KEY (recipient, kind, about)
);
