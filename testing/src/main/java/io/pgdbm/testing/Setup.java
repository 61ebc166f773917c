package io.pgdbm.testing;

import java.util.List;

/**
 * What a test database holds: modules migrated in order, then fixtures. Equal set-ups share one template.
 *
 * @param modules the modules, migrated in this order
 * @param fixtures loaded after every module is migrated, in this order
 */
record Setup(List<Module> modules, List<Fixture> fixtures) {

    Setup {
        modules = List.copyOf(modules);
        fixtures = List.copyOf(fixtures);
    }

    /** A module: its name, schema and classpath migrations folder ({@code ""}: none). */
    record Module(String name, String schema, String migrations) {
    }

    /** A SQL file ({@code table} null) or a CSV file with a header row for {@code table}, in {@code module}. */
    record Fixture(String module, String path, String table) {
    }
}
