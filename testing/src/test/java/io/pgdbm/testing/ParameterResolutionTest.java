package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgdbm.Module;
import io.pgdbm.ModuleDatabase;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The extension resolves only @Injected parameters, so it does not compete with a CDI container's resolver (here one
 * that resolves as weld-junit5 does for pgdbm's beans: every ModuleDatabase parameter with a @Module qualifier).
 */
class ParameterResolutionTest {

    @Test
    void leavesParametersWithoutInjectedToAnotherResolver() {
        List<Launched.Outcome> outcomes = Launched.tests(Launched.run(BesideAContainer.class));

        assertThat(outcomes).singleElement()
                .satisfies(outcome -> assertThat(outcome.succeeded()).as(outcome.toString()).isTrue());
    }

    /** Stands for a CDI container's resolver: a ModuleDatabase bean for each {@code @Module} qualifier. */
    static final class ContainerResolver implements ParameterResolver {

        static final ModuleDatabase CONTAINER_MODULE = (ModuleDatabase) Proxy.newProxyInstance(
                ModuleDatabase.class.getClassLoader(), new Class<?>[] {ModuleDatabase.class},
                (proxy, method, args) -> method.getName().equals("name") ? "users (from the container)" : null);

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == ModuleDatabase.class && parameter.isAnnotated(Module.class);
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            return CONTAINER_MODULE;
        }
    }

    @ExtendWith({LaunchedOnly.class, ContainerResolver.class})
    static class BesideAContainer {

        @RegisterExtension
        static final PgdbmTestDatabase db = PgdbmTestDatabase.create().withModule("users", "db/users");

        @Test
        void takesFromBoth(@Module("users") ModuleDatabase fromContainer, @Injected ModuleDatabase fromTestDatabase,
                @Injected PgdbmTestDatabase testDatabase) {
            assertThat(fromContainer).isSameAs(ContainerResolver.CONTAINER_MODULE);
            assertThat(fromTestDatabase).isSameAs(db.module("users"));
            assertThat(testDatabase).isSameAs(db);
        }
    }
}
