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
    last_seen_at BIGINT NOT NULL,
    search tsvector GENERATED ALWAYS AS (
        to_tsvector('simple', COALESCE(name, '') || ' ' || COALESCE(email, '') || ' ' || COALESCE(external_id, ''))
    ) STORED
);
CREATE INDEX contacts_by_email ON contacts (LOWER(email));
CREATE UNIQUE INDEX contacts_by_external_id ON contacts (external_id);
CREATE INDEX contacts_by_activity ON contacts (last_seen_at, id);
CREATE INDEX contacts_search ON contacts USING GIN (search);

-- A browser's visitor id names the contact it last spoke for.
CREATE TABLE contact_visitors (
    visitor_id TEXT PRIMARY KEY,
    contact_id TEXT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE
);
CREATE INDEX contact_visitors_by_contact ON contact_visitors (contact_id);

ALTER TABLE conversations ADD COLUMN contact_id TEXT REFERENCES contacts(id);
CREATE INDEX conversations_by_contact ON conversations (contact_id, created_at);
