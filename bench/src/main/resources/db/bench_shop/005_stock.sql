CREATE TABLE {{tables.stock}} (
    product_id bigint NOT NULL REFERENCES {{tables.products}} (id),
    warehouse text NOT NULL,
    quantity integer NOT NULL DEFAULT 0 CHECK (quantity >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (product_id, warehouse)
);
CREATE INDEX stock_warehouse_idx ON {{tables.stock}} (warehouse);
