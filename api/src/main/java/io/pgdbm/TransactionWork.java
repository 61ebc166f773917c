package io.pgdbm;

/**
 * Work that runs inside a transaction and returns a value. See {@link ModuleDatabase#inTransaction(TransactionWork)}.
 *
 * @param <T> what the work returns
 */
@FunctionalInterface
public interface TransactionWork<T> {

    /**
     * Runs the work.
     *
     * @param tx the module's database bound to the open transaction
     * @return the value {@code inTransaction} returns after the commit
     * @throws Exception any failure; it rolls the transaction (or the savepoint) back
     */
    T run(ModuleDatabase tx) throws Exception;
}
