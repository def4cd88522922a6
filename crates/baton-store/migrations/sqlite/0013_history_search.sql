-- History search. Conversations are listed most recently active first, so the time of their
-- newest message is kept beside them (set in the same statement that takes the message's seq).
ALTER TABLE conversations ADD COLUMN last_message_at BIGINT;
UPDATE conversations SET last_message_at =
    COALESCE((SELECT MAX(created_at) FROM messages WHERE messages.conversation_id = conversations.id), created_at);
CREATE INDEX conversations_by_activity ON conversations (last_message_at, id);

-- One full-text row per message (seq >= 1) and one for the contact's name and email (seq 0).
-- The index keeps its own copy of the text, so it never depends on the rowids of `messages`,
-- which VACUUM may renumber. `conversation_id` is indexed as words so one conversation's rows
-- are found without a scan (to replace the contact row, or to erase a contact).
CREATE VIRTUAL TABLE search_text USING fts5(
    body,
    conversation_id,
    seq UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO search_text (body, conversation_id, seq)
    SELECT text, conversation_id, seq FROM messages;
INSERT INTO search_text (body, conversation_id, seq)
    SELECT TRIM(COALESCE(contact_name, '') || ' ' || COALESCE(contact_email, '')), id, 0 FROM conversations;

CREATE TRIGGER search_text_message AFTER INSERT ON messages BEGIN
    INSERT INTO search_text (body, conversation_id, seq) VALUES (new.text, new.conversation_id, new.seq);
END;
CREATE TRIGGER search_text_new_contact AFTER INSERT ON conversations BEGIN
    INSERT INTO search_text (body, conversation_id, seq)
        VALUES (TRIM(COALESCE(new.contact_name, '') || ' ' || COALESCE(new.contact_email, '')), new.id, 0);
END;
CREATE TRIGGER search_text_contact AFTER UPDATE OF contact_name, contact_email ON conversations BEGIN
    DELETE FROM search_text WHERE rowid IN (
        SELECT rowid FROM search_text WHERE search_text MATCH 'conversation_id : "' || old.id || '"' AND seq = 0);
    INSERT INTO search_text (body, conversation_id, seq)
        VALUES (TRIM(COALESCE(new.contact_name, '') || ' ' || COALESCE(new.contact_email, '')), new.id, 0);
END;

-- Filters on a handoff's details look up the conversation's facts.
CREATE INDEX handoff_facts_by_conversation ON handoff_facts (conversation_id);
