/** Internal: the per-datasource engine, ModuleDatabase implementation, transactions and error translation. */
package io.pgdbm.core.internal.engine;
