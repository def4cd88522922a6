-- An external bot answers through the API with a key; only its hash is kept.
ALTER TABLE bots ADD COLUMN api_key_hash TEXT;
CREATE UNIQUE INDEX bots_api_key_hash ON bots (api_key_hash);

-- The last contact message the bot has taken its turn on: contact messages after it are the
-- bot's pending work, which survives a restart.
ALTER TABLE conversations ADD COLUMN bot_seq BIGINT NOT NULL DEFAULT 0;
-- Conversations from before the cursor existed have had their turns.
UPDATE conversations SET bot_seq = last_seq;
