CREATE TABLE {{tables.addresses}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES {{tables.customers}} (id) ON DELETE CASCADE,
    line1 text NOT NULL,
    city text NOT NULL,
    postcode text NOT NULL,
    country char(2) NOT NULL
);
CREATE INDEX addresses_customer_id_idx ON {{tables.addresses}} (customer_id);
