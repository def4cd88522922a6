-- Contacts: one record per person across their conversations (baton_core::contact). An email
-- may belong to several records (a verified customer and an anonymous visitor who typed the
-- same address are not merged), so it is indexed, not unique; the host site's user id is.
CREATE TABLE contacts (
    id TEXT PRIMARY KEY,
    name TEXT,
    email TEXT,
    language TEXT,
    external_id TEXT,
    attributes TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);
CREATE INDEX contacts_by_email ON contacts (LOWER(email));
CREATE UNIQUE INDEX contacts_by_external_id ON contacts (external_id);
CREATE INDEX contacts_by_activity ON contacts (last_seen_at, id);

-- A browser's visitor id names the contact it last spoke for.
CREATE TABLE contact_visitors (
    visitor_id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE
);
CREATE INDEX contact_visitors_by_contact ON contact_visitors (contact_id);

ALTER TABLE conversations ADD COLUMN contact_id TEXT REFERENCES contacts(id);
CREATE INDEX conversations_by_contact ON conversations (contact_id, created_at);

-- Contacts are searched by name, email and the site's user id through their own FTS5 table.
-- As in `search_text`, the id is indexed as words so a contact's row is found without a scan
-- (rowids of `contacts` may change on VACUUM, so they are not used).
CREATE VIRTUAL TABLE contact_text USING fts5(
    body,
    contact_id,
    tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER contact_text_insert AFTER INSERT ON contacts BEGIN
    INSERT INTO contact_text (body, contact_id) VALUES (
        TRIM(COALESCE(new.name, '') || ' ' || COALESCE(new.email, '') || ' ' || COALESCE(new.external_id, '')), new.id);
END;
CREATE TRIGGER contact_text_update AFTER UPDATE OF name, email, external_id ON contacts BEGIN
    DELETE FROM contact_text WHERE rowid IN (
        SELECT rowid FROM contact_text WHERE contact_text MATCH 'contact_id : "' || old.id || '"');
    INSERT INTO contact_text (body, contact_id) VALUES (
        TRIM(COALESCE(new.name, '') || ' ' || COALESCE(new.email, '') || ' ' || COALESCE(new.external_id, '')), new.id);
END;
CREATE TRIGGER contact_text_delete AFTER DELETE ON contacts BEGIN
    DELETE FROM contact_text WHERE rowid IN (
        SELECT rowid FROM contact_text WHERE contact_text MATCH 'contact_id : "' || old.id || '"');
END;
