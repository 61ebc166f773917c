CREATE TABLE {{tables.carts}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint REFERENCES {{tables.customers}} (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX carts_customer_id_idx ON {{tables.carts}} (customer_id);
CREATE INDEX carts_updated_at_idx ON {{tables.carts}} (updated_at);
