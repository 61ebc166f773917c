CREATE TABLE {{tables.products}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    category_id integer NOT NULL REFERENCES {{tables.categories}} (id),
    sku text NOT NULL UNIQUE,
    name text NOT NULL,
    price_cents bigint NOT NULL CHECK (price_cents >= 0),
    active boolean NOT NULL DEFAULT true
);
CREATE INDEX products_category_id_idx ON {{tables.products}} (category_id) WHERE active;
