package io.pgdbm.it.quarkus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.extension.PgdbmBuildCompatibleExtension;
import io.quarkus.test.QuarkusUnitTest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.inject.Inject;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A broken application fails its Quarkus build, and pgdbm says why: an injection point naming no module, and a plain
 * {@code ModuleDatabase} in a class that is not a module. ArC fails the build on its own unsatisfied dependencies and
 * logs pgdbm's messages beside them.
 *
 * <p>Runs in a surefire execution of its own: Quarkus does not mix {@code QuarkusUnitTest} and {@code @QuarkusTest}
 * in one run.
 */
class DeploymentProblemsTest {

    /** The broken bean: an alternative only this test selects, so the {@code @QuarkusTest} application omits it. */
    @Alternative
    @ApplicationScoped
    public static class Reports {

        @Inject
        @Module("billing")
        ModuleDatabase billing;

        @Inject
        ModuleDatabase unnamed;
    }

    @RegisterExtension
    static final QuarkusUnitTest APP = new QuarkusUnitTest()
            .withApplicationRoot(root -> root.addClasses(UsersModule.class, Reports.class)
                    .addAsResource("db/users/001_accounts.sql")
                    .addAsResource("db/users/002_names.sql"))
            .overrideConfigKey("quarkus.arc.selected-alternatives", Reports.class.getName())
            // No Docker; and with Dev Services on, a missing datasource could fail the build before ArC does.
            .overrideConfigKey("quarkus.devservices.enabled", "false")
            .setLogRecordPredicate(record -> record.getLoggerName()
                    .equals(PgdbmBuildCompatibleExtension.class.getName()))
            .assertLogRecords(records -> assertThat(records).map(DeploymentProblemsTest::text)
                    .containsExactlyInAnyOrder(
                            Reports.class.getName() + ".billing injects @Module(\"billing\") ModuleDatabase, but "
                                    + "there is no module billing (modules: [users]); fix the name, or declare it "
                                    + "with @DatabaseModule(name = \"billing\", schema = \"...\")",
                            Reports.class.getName() + ".unnamed injects ModuleDatabase without saying which module: "
                                    + "annotate its class with @DatabaseModule(schema = \"...\") to make the class a "
                                    + "module, or the injection point with @Module(\"<name>\") to use another "
                                    + "module's database (modules: [users])"))
            .assertException(failure -> assertThat(failure).isInstanceOf(DeploymentException.class)
                    .hasMessageContaining(Reports.class.getName() + "#billing"));

    private static String text(LogRecord record) {
        return new SimpleFormatter().formatMessage(record);
    }

    @Test
    void unknownModuleAndUnnamedDatabaseFailTheBuildWithPgdbmsMessages() {
        fail("the application must not start");
    }
}
