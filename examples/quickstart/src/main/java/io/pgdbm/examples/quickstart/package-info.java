/**
 * The quick start: a runnable tour of pgdbm on an embedded PostgreSQL, with nothing to install or configure.
 *
 * <p>Run it from the root of the repository with {@code mvn -q -pl examples/quickstart -am compile exec:java};
 * {@link io.pgdbm.examples.quickstart.QuickStart} is the code to read.
 */
package io.pgdbm.examples.quickstart;
