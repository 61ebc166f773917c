CREATE TABLE {{tables.orders}} (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES {{tables.users.accounts}} (id),
    total numeric(10, 2) NOT NULL
);
