package io.pgdbm.extension;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.DatabaseModule;
import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.extension.fixtures.OrdersModule;
import io.pgdbm.extension.fixtures.UsersModule;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every way to declare or inject modules wrongly fails deployment with a message that says what to change, before
 * any database is touched (the configuration points nowhere).
 */
class DeploymentProblemsTest {

    private static final Map<String, String> NO_DATABASE = Map.of("pgdbm.datasource.url",
            "jdbc:postgresql://127.0.0.1:1/none", "pgdbm.connect.attempts", "1");

    private static void assertDeploymentFails(String message, Class<?>... beans) {
        assertThatThrownBy(() -> Containers.start(NO_DATABASE, beans).close())
                .hasStackTraceContaining(message);
    }

    @ApplicationScoped
    static class Reports {
        @Inject
        ModuleDatabase db;
    }

    @Test
    void unqualifiedModuleDatabaseOutsideAModuleSaysWhatToAdd() {
        assertDeploymentFails(Reports.class.getName() + ".db injects ModuleDatabase without saying which module: "
                + "annotate its class with @DatabaseModule(schema = \"...\") to make the class a module, or the "
                + "injection point with @Module(\"<name>\") to use another module's database (modules: [users])",
                UsersModule.class, Reports.class);
    }

    @ApplicationScoped
    static class Billing {
        @Inject
        @Module("billing")
        ModuleDatabase db;
    }

    @Test
    void unknownModuleNameIsADeploymentError() {
        assertDeploymentFails(Billing.class.getName() + ".db injects @Module(\"billing\") ModuleDatabase, but there is "
                + "no module billing (modules: [users]); fix the name, or declare it with @DatabaseModule(name = "
                + "\"billing\", schema = \"...\"). If a class does declare module billing, the container did not "
                + "discover it: most often the jar or classes folder that holds it has no META-INF/beans.xml",
                UsersModule.class, Billing.class);
    }

    @DatabaseModule(name = "users", schema = "people")
    static class PeopleModule {
    }

    @Test
    void twoClassesDeclaringOneModuleDifferentlyAreNamed() {
        assertDeploymentFails("Module users is declared differently by " + PeopleModule.class.getName()
                + " (schema people, migrations none, datasource default) and by " + UsersModule.class.getName()
                + " (schema users, migrations db/users, datasource default): every declaration of one module must "
                + "agree on schema, migrations and datasource", UsersModule.class, PeopleModule.class);
    }

    @DatabaseModule(schema = "my-users")
    static class BadSchema {
    }

    @Test
    void schemaThatIsNotAnIdentifierIsRefused() {
        assertDeploymentFails("@DatabaseModule on " + BadSchema.class.getName() + ": schema 'my-users' is not "
                + "allowed: names must match [A-Za-z_][A-Za-z0-9_]{0,62}", BadSchema.class);
    }

    @DatabaseModule(name = "user accounts", schema = "users")
    static class BadName {
    }

    @DatabaseModule(schema = "archive", datasource = "archive;drop")
    static class BadDatasource {
    }

    @Test
    void moduleAndDatasourceNamesThatAreNotIdentifiersAreRefused() {
        assertDeploymentFails("@DatabaseModule on " + BadName.class.getName() + ": name 'user accounts' is not "
                + "allowed", BadName.class);
        assertDeploymentFails("@DatabaseModule on " + BadDatasource.class.getName() + ": datasource 'archive;drop' "
                + "is not allowed", BadDatasource.class);
    }

    @Test
    void dependencyOnAModuleThatDoesNotExistIsNamed() {
        assertDeploymentFails("Module orders depends on users, which is not a module here (modules: [orders]); add "
                + "module users or remove it from dependsOn of orders (module orders is declared by ["
                + OrdersModule.class.getName() + "])", OrdersModule.class);
    }

    @DatabaseModule(schema = "chicken", dependsOn = "egg")
    static class Chicken {
    }

    @DatabaseModule(schema = "egg", dependsOn = "chicken")
    static class Egg {
    }

    @Test
    void dependencyCycleIsNamed() {
        assertDeploymentFails("Modules depend on each other in a cycle: chicken -> egg -> chicken (each depends on the "
                + "next); remove one of these dependsOn entries", Chicken.class, Egg.class);
    }
}
