/**
 * Internal: {@code {{...}}} template rendering, identifier rules, and where statements end (the splitting of
 * migration scripts, and the count behind the one-statement rule of {@code ModuleDatabase}'s calls).
 */
package io.pgdbm.core.internal.sql;
