package io.pgdbm.core.internal.mapping;

/**
 * Where values are read: what a failed conversion's message names, and whether it may show the value. Internal.
 *
 * @param module the module whose statement it was
 * @param sql the statement as sent to the server
 * @param logValues whether messages may show the value ({@code pgdbm.log-values})
 */
public record ReadContext(String module, String sql, boolean logValues) {
}
