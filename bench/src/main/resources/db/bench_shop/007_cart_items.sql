CREATE TABLE {{tables.cart_items}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    cart_id bigint NOT NULL REFERENCES {{tables.carts}} (id) ON DELETE CASCADE,
    product_id bigint NOT NULL REFERENCES {{tables.products}} (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    UNIQUE (cart_id, product_id)
);
CREATE INDEX cart_items_product_id_idx ON {{tables.cart_items}} (product_id);
