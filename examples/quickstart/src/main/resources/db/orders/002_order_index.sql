-- pgdbm:no-transaction
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_account ON {{tables.orders}} (account_id);
