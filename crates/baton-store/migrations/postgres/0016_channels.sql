-- Channels: a conversation may come in on WhatsApp (and later SMS, email…) instead of the
-- widget. A channel belongs to a bot and holds its provider's settings, secrets included.
CREATE TABLE channels (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    bot_id TEXT NOT NULL REFERENCES bots(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The provider's settings as JSON (core `ChannelSettings`).
    settings TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The channel a conversation came in on and the contact's address there; 'web' and no
-- address for the widget. One conversation per channel and address.
ALTER TABLE conversations ADD COLUMN channel TEXT NOT NULL DEFAULT 'web';
ALTER TABLE conversations ADD COLUMN channel_id TEXT REFERENCES channels(id) ON DELETE SET NULL;
ALTER TABLE conversations ADD COLUMN channel_address TEXT;
CREATE UNIQUE INDEX conversations_channel_address ON conversations (channel_id, channel_address)
    WHERE channel_id IS NOT NULL AND channel_address IS NOT NULL;

-- A phone channel knows its contact by their number.
ALTER TABLE contacts ADD COLUMN phone TEXT;
CREATE INDEX contacts_phone ON contacts (phone) WHERE phone IS NOT NULL;

-- Messages sent out on a channel: one row per message, with the provider's id for it once
-- accepted and the latest status the provider reported (sent, delivered, read, failed).
CREATE TABLE channel_deliveries (
    id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    message_id TEXT NOT NULL UNIQUE,
    seq BIGINT NOT NULL,
    recipient TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 'pending' until the provider accepts it, then 'sent', 'delivered', 'read'; or 'failed'.
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT,
    last_attempt_at BIGINT,
    response_code BIGINT,
    error TEXT,
    provider_message_id TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX channel_deliveries_due ON channel_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX channel_deliveries_in_order ON channel_deliveries (conversation_id, seq) WHERE status = 'pending';
CREATE INDEX channel_deliveries_by_provider_id ON channel_deliveries (channel_id, provider_message_id);
CREATE INDEX channel_deliveries_by_channel ON channel_deliveries (channel_id, created_at);
