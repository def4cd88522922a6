-- History search. Conversations are listed most recently active first, so the time of their
-- newest message is kept beside them (set in the same statement that takes the message's seq).
ALTER TABLE conversations ADD COLUMN last_message_at BIGINT;
UPDATE conversations SET last_message_at =
    COALESCE((SELECT MAX(created_at) FROM messages WHERE messages.conversation_id = conversations.id), created_at);
CREATE INDEX conversations_by_activity ON conversations (last_message_at, id);

-- Full text with the 'simple' configuration: no stemming or stop words, so every language is
-- treated alike and an email address stays one word.
ALTER TABLE messages ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED;
CREATE INDEX messages_search ON messages USING GIN (search);
ALTER TABLE conversations ADD COLUMN search tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', COALESCE(contact_name, '') || ' ' || COALESCE(contact_email, ''))) STORED;
CREATE INDEX conversations_search ON conversations USING GIN (search);

-- Filters on a handoff's details look up the conversation's facts.
CREATE INDEX handoff_facts_by_conversation ON handoff_facts (conversation_id);
