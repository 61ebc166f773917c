CREATE TABLE {{tables.order_lines}} (
    order_id bigint NOT NULL REFERENCES {{tables.orders}} (id) ON DELETE CASCADE,
    line_no integer NOT NULL,
    product_id bigint NOT NULL REFERENCES {{tables.products}} (id),
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price_cents bigint NOT NULL,
    PRIMARY KEY (order_id, line_no)
);
CREATE INDEX order_lines_product_id_idx ON {{tables.order_lines}} (product_id);
