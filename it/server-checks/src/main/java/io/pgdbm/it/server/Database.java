package io.pgdbm.it.server;

import java.net.URI;

/**
 * The test PostgreSQL database a server's DataSource points at, in the pieces a server's configuration wants.
 *
 * @param host the server's host
 * @param port its port
 * @param name the database
 * @param user the user
 * @param password the password; the embedded server trusts local connections, but some DataSources need one set
 */
public record Database(String host, int port, String name, String user, String password) {

    /** From a {@code jdbc:postgresql://host:port/name?...} URL. */
    static Database of(String jdbcUrl, String user, String password) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        return new Database(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), uri.getPath().substring(1), user,
                password == null ? "unused" : password);
    }
}
