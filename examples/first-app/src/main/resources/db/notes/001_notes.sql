CREATE TABLE {{tables.notes}} (
    id bigserial PRIMARY KEY,
    text text NOT NULL
);
