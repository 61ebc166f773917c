ALTER TABLE {{tables.orders}} ADD COLUMN notes text;
CREATE INDEX orders_placed_at_idx ON {{tables.orders}} (placed_at);
