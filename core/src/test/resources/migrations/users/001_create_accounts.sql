-- accounts
CREATE TABLE {{tables.accounts}} (id int);
