CREATE TABLE {{tables.orders}} (
    id bigserial PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES {{tables.users.accounts}} (id),
    item text NOT NULL
);
