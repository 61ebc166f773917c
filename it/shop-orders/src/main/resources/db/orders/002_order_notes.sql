ALTER TABLE {{tables.orders}} ADD COLUMN note text;
