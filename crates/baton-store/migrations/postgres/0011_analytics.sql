-- Analytics (see docs/analytics.md). One fact per handoff, folded from its events; the facts
-- rolled up per UTC day and group, with the time to a human counted in 5 % buckets; and the
-- conversations started per UTC hour. Unknown keys are '' rather than NULL so they group and
-- key alike in both databases.
CREATE TABLE handoff_facts (
    handoff_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    bot_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    assignee_id TEXT NOT NULL,
    trigger TEXT NOT NULL,
    reason TEXT NOT NULL,
    topic TEXT,
    reason_code TEXT,
    priority TEXT NOT NULL,
    outcome TEXT NOT NULL,
    day BIGINT NOT NULL,
    requested_at BIGINT NOT NULL,
    queued_at BIGINT,
    assigned_at BIGINT,
    first_response_at BIGINT,
    closed_at BIGINT,
    left_queue_at BIGINT,
    went_offline BIGINT NOT NULL,
    lead BIGINT NOT NULL,
    returned_to_bot BIGINT NOT NULL,
    offers BIGINT NOT NULL,
    accepts BIGINT NOT NULL,
    declines BIGINT NOT NULL,
    expiries BIGINT NOT NULL,
    rating BIGINT,
    sla_seconds BIGINT,
    tth_bucket BIGINT,
    last_event_id BIGINT NOT NULL
);
CREATE INDEX handoff_facts_by_group ON handoff_facts (day, bot_id, team_id, assignee_id, trigger, reason, outcome);
CREATE INDEX handoff_facts_by_time ON handoff_facts (requested_at);

CREATE TABLE analytics_daily (
    day BIGINT NOT NULL,
    bot_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    trigger TEXT NOT NULL,
    reason TEXT NOT NULL,
    outcome TEXT NOT NULL,
    handoffs BIGINT NOT NULL,
    humans BIGINT NOT NULL,
    tth_ms_sum BIGINT NOT NULL,
    sla_total BIGINT NOT NULL,
    sla_met BIGINT NOT NULL,
    offers BIGINT NOT NULL,
    accepts BIGINT NOT NULL,
    declines BIGINT NOT NULL,
    expiries BIGINT NOT NULL,
    queue_wait_ms BIGINT NOT NULL,
    r1 BIGINT NOT NULL,
    r2 BIGINT NOT NULL,
    r3 BIGINT NOT NULL,
    r4 BIGINT NOT NULL,
    r5 BIGINT NOT NULL,
    PRIMARY KEY (day, bot_id, team_id, trigger, reason, outcome)
);

-- The handoffs each person took, per day: the people's rows of a report.
CREATE TABLE analytics_user_daily (
    day BIGINT NOT NULL,
    bot_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    assignee_id TEXT NOT NULL,
    handoffs BIGINT NOT NULL,
    humans BIGINT NOT NULL,
    tth_ms_sum BIGINT NOT NULL,
    sla_total BIGINT NOT NULL,
    sla_met BIGINT NOT NULL,
    offers BIGINT NOT NULL,
    accepts BIGINT NOT NULL,
    declines BIGINT NOT NULL,
    expiries BIGINT NOT NULL,
    queue_wait_ms BIGINT NOT NULL,
    r1 BIGINT NOT NULL,
    r2 BIGINT NOT NULL,
    r3 BIGINT NOT NULL,
    r4 BIGINT NOT NULL,
    r5 BIGINT NOT NULL,
    PRIMARY KEY (day, bot_id, team_id, assignee_id)
);

-- Times to a person per day, bot and team: `bucket:count` pairs (see core::analytics::Histogram).
CREATE TABLE analytics_tth_daily (
    day BIGINT NOT NULL,
    bot_id TEXT NOT NULL,
    team_id TEXT NOT NULL,
    histogram TEXT NOT NULL,
    PRIMARY KEY (day, bot_id, team_id)
);

CREATE TABLE analytics_conversations (
    hour BIGINT NOT NULL,
    bot_id TEXT NOT NULL,
    conversations BIGINT NOT NULL,
    last_event_id BIGINT NOT NULL,
    PRIMARY KEY (hour, bot_id)
);
