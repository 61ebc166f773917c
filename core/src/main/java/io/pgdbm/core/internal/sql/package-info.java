/** Internal: {@code {{...}}} template rendering, identifier rules, the per-module statement cache. */
package io.pgdbm.core.internal.sql;
