CREATE TABLE {{tables.categories}} (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id integer REFERENCES {{tables.categories}} (id),
    name text NOT NULL,
    slug text NOT NULL UNIQUE
);
CREATE INDEX categories_parent_id_idx ON {{tables.categories}} (parent_id);
