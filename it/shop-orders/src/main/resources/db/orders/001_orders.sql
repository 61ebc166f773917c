-- Orders belong to the users module's accounts: a foreign key across the two schemas, so this file can run only
-- after the users module's migrations (the module dependsOn "users").
CREATE TABLE {{tables.orders}} (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES {{tables.users.accounts}} (id),
    total numeric(10, 2) NOT NULL
);
