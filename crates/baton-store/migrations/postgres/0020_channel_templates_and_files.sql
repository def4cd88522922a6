-- A message sent as a WhatsApp template (outside the 24-hour window): which template and the
-- values of its variables, as JSON; its text is the filled body. Its delivery keeps the same,
-- so every attempt sends the template.
ALTER TABLE messages ADD COLUMN template TEXT;
ALTER TABLE channel_deliveries ADD COLUMN template TEXT;
-- The file a delivery sends (the message's attachment reference, as JSON), when it sends one.
ALTER TABLE channel_deliveries ADD COLUMN attachment TEXT;
