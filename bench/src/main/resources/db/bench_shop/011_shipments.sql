CREATE TABLE {{tables.shipments}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id bigint NOT NULL REFERENCES {{tables.orders}} (id),
    address_id bigint NOT NULL REFERENCES {{tables.addresses}} (id),
    carrier text NOT NULL,
    tracking_number text,
    shipped_at timestamptz
);
CREATE INDEX shipments_order_id_idx ON {{tables.shipments}} (order_id);
CREATE UNIQUE INDEX shipments_tracking_number_key ON {{tables.shipments}} (carrier, tracking_number)
    WHERE tracking_number IS NOT NULL;
