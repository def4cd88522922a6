-- Timers that must survive a restart (presence grace periods, offer expiries, timeouts).
-- One per kind and subject: setting it again moves it. `locked_until` is a lease taken while
-- a timer fires, so a crash mid-fire means it fires again once the lease ends.
CREATE TABLE timers (
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    data TEXT NOT NULL,
    locked_until BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (kind, subject)
);
CREATE INDEX timers_due ON timers (due_at);

-- Set when Baton made the user away because their inbox went quiet, so reopening it makes
-- them online again; cleared whenever the user sets a status themselves.
ALTER TABLE users ADD COLUMN auto_away BIGINT NOT NULL DEFAULT 0;
