-- The conversation's language: from the widget's locale (fixed) or detected from the contact.
ALTER TABLE conversations ADD COLUMN language TEXT;
ALTER TABLE conversations ADD COLUMN language_from_locale BIGINT NOT NULL DEFAULT 0;
