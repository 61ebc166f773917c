CREATE TABLE {{tables.wishlist_items}} (
    customer_id bigint NOT NULL REFERENCES {{tables.customers}} (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES {{tables.products}} (id),
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, product_id)
);
CREATE INDEX wishlist_items_product_id_idx ON {{tables.wishlist_items}} (product_id);
