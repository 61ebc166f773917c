package io.pgdbm.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.testsupport.PostgresDatabaseExtension;
import io.pgdbm.core.testsupport.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A schema with capitals is accepted, and said once: PostgreSQL keeps its case, unquoted SQL folds it. */
@ExtendWith(PostgresDatabaseExtension.class)
class NameCaseTest {

    @Test
    void schemaWithCapitalsIsAWarningOnceAndADifferentSchemaFromItsLowerCase(TestDatabase database) {
        try (Pgdbm pgdbm = Pgdbm.create(database.configBuilder().poolMaxSize(2).poolMinIdle(0).build())) {
            String log = capturingStandardError(() -> {
                ModuleDatabase notes = pgdbm.module("notes", "Notes");
                pgdbm.module("notes", "Notes");
                pgdbm.module("Audit", "audit");
                notes.execute("CREATE SCHEMA {{schema}}");
                notes.execute("CREATE TABLE {{tables.items}} (id int)");
            });

            assertThat(log).containsOnlyOnce("[WARN] Engine - notes - schema 'Notes' is not in lower case: PostgreSQL "
                    + "keeps its case, and {{tables...}} quote it (\"Notes\".\"accounts\"), so \"Notes\" and notes are "
                    + "two schemas, and unquoted SQL such as Notes.accounts reaches the other one. Use 'notes' unless "
                    + "the capitals are meant");
            assertThat(log).containsOnlyOnce("Audit - module name 'Audit' is not in lower case: it is case-sensitive "
                    + "everywhere pgdbm uses it (@Module(\"Audit\"), {{tables.Audit.name}}, the migration history and "
                    + "its lock), so 'audit' names another module");
            ModuleDatabase lower = pgdbm.module("lower", "notes");
            assertThat(lower.fetchValue("SELECT to_regclass('\"Notes\".items') IS NOT NULL", Boolean.class)).isTrue();
            assertThat(lower.fetchValue("SELECT to_regclass('notes.items') IS NULL", Boolean.class))
                    .as("unquoted, the name folds to another schema").isTrue();
        }
    }

    private static String capturingStandardError(Runnable work) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            work.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
