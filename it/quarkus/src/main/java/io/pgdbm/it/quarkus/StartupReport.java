package io.pgdbm.it.quarkus;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The application's own start-up work, as any Quarkus application writes it: it observes {@link Startup} and reads the
 * tables the modules' migrations create, through Quarkus's DataSource and not through pgdbm, so that it cannot start
 * pgdbm itself. pgdbm's observer must have migrated them before this one runs.
 */
@ApplicationScoped
public class StartupReport {

    private volatile String tablesSeenAtStartup;

    void onStart(@Observes Startup event, DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT coalesce(to_regclass('users.accounts')::text, 'none')"
                        + " || ' ' || coalesce(to_regclass('shop_orders.orders')::text, 'none')")) {
            row.next();
            tablesSeenAtStartup = row.getString(1);
        }
    }

    /** The modules' tables the application's start-up observer found ({@code none} for a missing one). */
    public String tablesSeenAtStartup() {
        return tablesSeenAtStartup;
    }
}
