-- Instants are unix milliseconds; ids are UUIDv7 text. Handoffs are stored as JSON documents
-- with the columns that queries filter on copied out beside them.
CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'offline',
    team TEXT,
    created_at BIGINT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL
);

CREATE TABLE bots (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    is_default BIGINT NOT NULL DEFAULT 0,
    settings TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    bot_id TEXT NOT NULL REFERENCES bots(id),
    token_hash TEXT NOT NULL UNIQUE,
    contact_name TEXT,
    contact_email TEXT,
    locale TEXT,
    owner_kind TEXT NOT NULL,
    owner_user_id TEXT,
    last_seq BIGINT NOT NULL DEFAULT 0,
    bot_failures BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);

CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    seq BIGINT NOT NULL,
    author_kind TEXT NOT NULL,
    author_id TEXT,
    author_name TEXT,
    text TEXT NOT NULL,
    note BIGINT NOT NULL DEFAULT 0,
    client_id TEXT,
    created_at BIGINT NOT NULL,
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, client_id)
);

CREATE TABLE handoffs (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    state TEXT NOT NULL,
    is_open BIGINT NOT NULL,
    assignee_id TEXT,
    requested_at BIGINT NOT NULL,
    version BIGINT NOT NULL,
    document TEXT NOT NULL
);
-- A conversation has at most one open handoff.
CREATE UNIQUE INDEX handoffs_one_open ON handoffs (conversation_id) WHERE is_open = 1;
CREATE INDEX handoffs_by_state ON handoffs (state, requested_at);
CREATE INDEX handoffs_by_conversation ON handoffs (conversation_id, requested_at);

CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    conversation_id TEXT,
    data TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    dispatched_at BIGINT
);
CREATE INDEX outbox_pending ON outbox (id) WHERE dispatched_at IS NULL;
