/**
 * The {@code pgdbm} command line ({@link io.pgdbm.cli.PgdbmCli}): migrations, their status and the database itself,
 * from a terminal or a CI pipeline, over {@code pgdbm-core} alone.
 *
 * <pre>
 * java -jar cli/target/pgdbm.jar --url jdbc:postgresql://localhost/app migrate --module users --path db/users
 * cli/pgdbm status --json            # every module of ./pgdbm.properties
 * </pre>
 *
 * <p>Settings come from flags, then the environment, then a properties file ({@code CliConfig}); each command is a
 * picocli command that renders a core result as text or JSON. Exit codes: 0 success, 1 failure, 2 bad usage or
 * configuration. Everything but {@code PgdbmCli} is package-private.
 */
package io.pgdbm.cli;
