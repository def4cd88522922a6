-- Handoffs given to an outside helpdesk (Freshchat): the helpdesk's user and conversation,
-- and how far it got (open: waiting for an agent; assigned; resolved; failed: Baton's
-- fallback took over).
CREATE TABLE helpdesk_handoffs (
    handoff_id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    remote_user_id TEXT,
    remote_conversation_id TEXT,
    -- The last message the transcript handed over holds; later ones are relayed one by one.
    transcript_seq BIGINT,
    state TEXT NOT NULL,
    reason TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX helpdesk_handoffs_by_remote ON helpdesk_handoffs (channel_id, remote_conversation_id);
CREATE INDEX helpdesk_handoffs_by_conversation ON helpdesk_handoffs (conversation_id, created_at);
