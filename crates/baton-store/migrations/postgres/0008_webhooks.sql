-- Webhook endpoints and their deliveries (Standard Webhooks). A delivery is one event for one
-- endpoint; its body is fixed when it is queued, so every retry sends the same bytes.
CREATE TABLE webhooks (
    id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    -- A JSON array of event names, or ["*"].
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    enabled BIGINT NOT NULL,
    -- 'active', or 'failing' after a delivery was given up until one succeeds.
    health TEXT NOT NULL,
    -- The newest event id when the endpoint was created: it hears only what came after.
    starts_after BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    -- Deliveries with the same key go out in event order: the conversation, or the event alone.
    ordering_key TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 'pending', 'delivered' or 'failed'.
    status TEXT NOT NULL,
    attempts BIGINT NOT NULL,
    next_attempt_at BIGINT,
    last_attempt_at BIGINT,
    response_code BIGINT,
    latency_ms BIGINT,
    error TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_in_order ON webhook_deliveries (webhook_id, ordering_key, event_id)
    WHERE status = 'pending';
