CREATE TABLE {{tables.orders}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES {{tables.customers}} (id),
    status text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
    total_cents bigint NOT NULL,
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_customer_id_placed_at_idx ON {{tables.orders}} (customer_id, placed_at DESC);
CREATE INDEX orders_open_idx ON {{tables.orders}} (status) WHERE status IN ('new', 'paid');
