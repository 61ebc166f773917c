CREATE TABLE {{tables.audit_events}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint REFERENCES {{tables.customers}} (id) ON DELETE SET NULL,
    entity text NOT NULL,
    entity_id bigint NOT NULL,
    action text NOT NULL,
    payload jsonb NOT NULL DEFAULT '{}',
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_events_entity_idx ON {{tables.audit_events}} (entity, entity_id);
CREATE INDEX audit_events_at_idx ON {{tables.audit_events}} USING brin (at);
