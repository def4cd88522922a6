-- A handoff posted to the team's Slack channel: the thread its updates, the customer's
-- messages and the team's replies go through.
CREATE TABLE slack_threads (
    handoff_id TEXT PRIMARY KEY,
    channel_id TEXT NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
    conversation_id TEXT NOT NULL,
    slack_channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX slack_threads_by_ts ON slack_threads (channel_id, ts);
CREATE INDEX slack_threads_by_conversation ON slack_threads (conversation_id, created_at);
