package io.pgdbm.bench;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * One application boot's migration check, in a fresh JVM: {@link MigrationBenchmark} starts one of these per
 * measurement, with the same {@code java} and class path as itself, and reads the {@code RESULT} line.
 *
 * <p>The timer starts at the top of {@code main}, before any class of pgdbm, Flyway, HikariCP or pgjdbc is loaded, and
 * stops when the check has returned: class loading, the JIT's first steps, connecting and the check itself are all in
 * it. What is connected before the timer depends on {@code connection}:
 * <ul>
 *   <li>{@code own}: nothing. pgdbm creates its pool from the URL ({@code Pgdbm.create}: a connection to check the
 *       server is there, then the pool's first connection); Flyway is configured with the URL and opens its own
 *       connection. Both then check. The pool is closed after the timer stops.</li>
 *   <li>{@code pool}: a HikariCP pool is opened before the timer (so pgjdbc is loaded and connected), and each side
 *       borrows it ({@code Pgdbm.wrap}, Flyway's {@code dataSource(pool)}): the migration tool's own cost only.</li>
 * </ul>
 *
 * <p>Side {@code jdbc} (with {@code own}) is the floor under both: pgjdbc alone connecting with
 * {@code DriverManager} and running {@code SELECT 1}.
 *
 * <p>The calls to the two sides live in {@link PgdbmMigrations} and {@link FlywayMigrations}, and this class names
 * none of their types, so the JVM loads (and verifies) only the side being measured, and inside the timer.
 */
public final class FirstMigrationCheck {

    private FirstMigrationCheck() {
    }

    /**
     * {@code FirstMigrationCheck <pgdbm|flyway|jdbc> <own|pool> <url> <schema> <location> <files>}, the location being
     * {@code filesystem:<directory>} or {@code classpath:<folder>} (on this JVM's class path).
     */
    public static void main(String[] args) throws Exception {
        String side = args[0];
        String connection = args[1];
        String url = args[2];
        String schema = args[3];
        String location = args[4];
        int files = Integer.parseInt(args[5]);
        ClassLoader loader = FirstMigrationCheck.class.getClassLoader();
        if (connection.equals("own")) {
            long started = System.nanoTime();
            AutoCloseable opened = switch (side) {
                case "pgdbm" -> PgdbmMigrations.bootFromUrl(url, schema, location, loader, files);
                case "flyway" -> FlywayMigrations.bootFromUrl(url, schema, location, loader);
                case "jdbc" -> connectAndSelectOne(url);
                default -> throw new IllegalArgumentException("Unknown side " + side + "; use pgdbm, flyway or jdbc");
            };
            long elapsed = System.nanoTime() - started;
            report(side, connection, elapsed);
            if (opened != null) {
                opened.close();
            }
        } else if (connection.equals("pool")) {
            try (HikariDataSource pool = BenchPool.open(url, 2)) {
                long started = System.nanoTime();
                switch (side) {
                    case "pgdbm" -> PgdbmMigrations.checkWith(pool, schema, location, loader, files);
                    case "flyway" -> FlywayMigrations.checkWith(pool, schema, location, loader);
                    default -> throw new IllegalArgumentException("Unknown side " + side + "; use pgdbm or flyway");
                }
                report(side, connection, System.nanoTime() - started);
            }
        } else {
            throw new IllegalArgumentException("Unknown connection " + connection + "; use own or pool");
        }
    }

    private static AutoCloseable connectAndSelectOne(String url) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT 1")) {
            row.next();
        }
        return null;
    }

    private static void report(String side, String connection, long nanos) {
        System.out.printf(Locale.ROOT, "RESULT side=%s connection=%s millis=%.3f%n", side, connection, nanos / 1e6);
    }
}
