-- Each consumer of the outbox (websockets, routing, webhooks, email, metrics) reads it from
-- its own cursor; an event is deleted once every cursor has passed it.
CREATE TABLE outbox_consumers (
    name TEXT PRIMARY KEY,
    last_id BIGINT NOT NULL
);

DROP INDEX outbox_pending;
ALTER TABLE outbox DROP COLUMN dispatched_at;
