CREATE TABLE {{tables.refunds}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    payment_id bigint NOT NULL REFERENCES {{tables.payments}} (id),
    amount_cents bigint NOT NULL CHECK (amount_cents > 0),
    reason text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refunds_payment_id_idx ON {{tables.refunds}} (payment_id);
