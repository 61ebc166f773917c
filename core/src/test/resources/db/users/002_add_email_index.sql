-- pgdbm:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS accounts_email ON {{tables.accounts}} (email);
