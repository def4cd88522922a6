-- A web customer waiting in the queue chose to continue on WhatsApp. The route waits until a
-- message carrying its one-time `code` comes in on the channel: that message's sender is the
-- `address` (so nobody can route someone else's number), and from then on, while the handoff
-- is open, the team's replies go there and what the number writes joins the conversation.
-- `last_inbound_at` is when the number last wrote (WhatsApp's window).
CREATE TABLE follow_up_routes (
    conversation_id TEXT PRIMARY KEY,
    handoff_id TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    code TEXT NOT NULL,
    address TEXT,
    verified_at BIGINT,
    last_inbound_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX follow_up_routes_by_code ON follow_up_routes (channel_id, code);
CREATE INDEX follow_up_routes_by_address ON follow_up_routes (channel_id, address, verified_at);
