CREATE TABLE {{tables.accounts}} (
    id bigserial PRIMARY KEY,
    email text NOT NULL UNIQUE,
    orders int NOT NULL DEFAULT 0
);
