-- A web customer waiting in the queue chose to be answered on WhatsApp: while the handoff is
-- open, the team's replies go to this channel and number, and what the number writes joins
-- the conversation. `last_inbound_at` is when that number last wrote (WhatsApp's window).
CREATE TABLE follow_up_routes (
    conversation_id TEXT PRIMARY KEY,
    handoff_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    address TEXT NOT NULL,
    last_inbound_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX follow_up_routes_by_address ON follow_up_routes (channel_id, address, created_at);
