/** Internal: binding Java values to parameters and reading columns into rows, records and scalars. */
package io.pgdbm.core.internal.mapping;
