CREATE TABLE {{tables.reviews}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    product_id bigint NOT NULL REFERENCES {{tables.products}} (id),
    customer_id bigint NOT NULL REFERENCES {{tables.customers}} (id),
    rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body text,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (product_id, customer_id)
);
CREATE INDEX reviews_product_id_created_at_idx ON {{tables.reviews}} (product_id, created_at DESC);
CREATE INDEX reviews_customer_id_idx ON {{tables.reviews}} (customer_id);
