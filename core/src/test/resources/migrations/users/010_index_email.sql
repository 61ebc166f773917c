CREATE INDEX ON {{tables.accounts}} (email);
