package io.pgdbm;

/**
 * Work that runs inside a transaction and returns nothing. See {@link ModuleDatabase#useTransaction(TransactionAction)}.
 */
@FunctionalInterface
public interface TransactionAction {

    /**
     * Runs the work.
     *
     * @param tx the module's database bound to the open transaction
     * @throws Exception any failure; it rolls the transaction (or the savepoint) back
     */
    void run(ModuleDatabase tx) throws Exception;
}
