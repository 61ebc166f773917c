/**
 * pgdbm-testing: a migrated, isolated PostgreSQL database for every test, with no Docker and no leaked databases.
 *
 * <ul>
 *   <li>{@link io.pgdbm.testing.PgdbmTestDatabase}: the JUnit 5 extension; a database per test cloned from a
 *       template migrated once, one per class, or each test rolled back; fields and parameters marked
 *       {@link io.pgdbm.testing.Injected}.</li>
 *   <li>{@link io.pgdbm.testing.PgdbmTestServer}: the server, embedded (started once per JVM) or yours
 *       ({@code PGDBM_TEST_URL}); it names every database it makes so that the next run can drop what a killed run
 *       left behind, and nothing else.</li>
 *   <li>{@link io.pgdbm.testing.PgdbmTestConfigSource}: points a CDI container started in a test at the test's
 *       database.</li>
 * </ul>
 *
 * <pre>{@code
 * class AccountsTest {
 *     @RegisterExtension
 *     static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");
 *
 *     @Test
 *     void registersAnAccount(@Injected ModuleDatabase users) {
 *         users.execute("INSERT INTO {{tables.accounts}} (email) VALUES (?)", "ada@example.com");
 *     }
 * }
 * }</pre>
 */
package io.pgdbm.testing;
