CREATE TABLE {{tables.payments}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES {{tables.orders}} (id),
    provider text NOT NULL,
    provider_reference text NOT NULL,
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    paid_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, provider_reference)
);
CREATE INDEX payments_order_id_idx ON {{tables.payments}} (order_id);
