CREATE TABLE {{tables.half}} (id int);
CREATE TABEL {{tables.typo}} (id int);
