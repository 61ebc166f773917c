ALTER TABLE {{tables.accounts}} ADD COLUMN email text;
