CREATE TABLE {{tables.notes}} (id int PRIMARY KEY, body text);
