CREATE TABLE {{tables.accounts}} (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email       text NOT NULL UNIQUE,
    order_count integer NOT NULL DEFAULT 0
);
