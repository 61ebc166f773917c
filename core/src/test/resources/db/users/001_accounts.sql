CREATE TABLE {{tables.accounts}} (id bigserial PRIMARY KEY, email text NOT NULL);
