ALTER TABLE {{tables.accounts}} ADD COLUMN name text;
