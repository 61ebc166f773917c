package io.pgdbm.core;

/**
 * A transaction bound to the thread that opened it ({@link Pgdbm#openRollbackScope()}), which every module of that
 * {@code Pgdbm} joins on that thread, until {@link #close()} rolls it back. For tests: the code under test commits
 * nothing (its own transactions become savepoints inside this one), and the next test starts from the same data.
 */
public interface RollbackScope extends AutoCloseable {

    /** Rolls everything back and ends the scope; from the thread that opened it. Calling it again does nothing. */
    @Override
    void close();
}
