package io.pgdbm.core;

/**
 * Hears about every statement a {@link Pgdbm} runs (every {@code execute}, fetch, batch, COPY, stream, inside
 * transactions or not) and every migration file it applies. Installed with {@link Pgdbm#addListener}; metrics backends
 * are listeners. Called on the thread that ran the statement, after it finished: keep it quick, and do not throw (an
 * exception is logged and otherwise ignored).
 */
@FunctionalInterface
public interface StatementListener {

    void statementExecuted(StatementEvent event);

    /** A migration file was applied; {@code millis} is how long it took. */
    default void migrationApplied(String datasource, String module, String file, long millis) {
    }
}
