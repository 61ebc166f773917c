package io.pgdbm.extension.jta;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * An application's own DataSource bean that does not take part in the container's transactions: pgjdbc's plain
 * DataSource, whose connections come in auto-commit mode inside a JTA transaction too. The database comes from
 * {@link #use}.
 */
@ApplicationScoped
public class PlainDataSource {

    private static volatile String url;
    private static volatile String user;

    public static void use(String jdbcUrl, String username) {
        url = jdbcUrl;
        user = username;
    }

    @Produces
    @ApplicationScoped
    DataSource dataSource() {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setURL(url);
        dataSource.setUser(user);
        return dataSource;
    }
}
