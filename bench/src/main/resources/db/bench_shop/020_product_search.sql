ALTER TABLE {{tables.products}} ADD COLUMN description text NOT NULL DEFAULT '';
CREATE INDEX products_name_idx ON {{tables.products}} (lower(name) text_pattern_ops);
