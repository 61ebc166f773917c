/**
 * A real transaction manager for the extension's tests: Narayana (with its CDI extension's {@code @Transactional}
 * interceptors and {@code TransactionSynchronizationRegistry} bean) and an Agroal DataSource whose connections enlist
 * in its transactions, as Quarkus wires them.
 */
package io.pgdbm.extension.jta;
