CREATE TABLE {{tables.orders}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES {{tables.users.accounts}},
    item       text NOT NULL
);
