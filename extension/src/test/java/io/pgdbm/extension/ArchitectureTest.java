package io.pgdbm.extension;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Layers point one way: extension -> core -> api; the extension uses core's public API only. */
class ArchitectureTest {

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/test-classes/") && !location.contains("-tests.jar"))
                .importPackages("io.pgdbm");
    }

    @Test
    void importsApiCoreAndExtension() {
        assertThat(classes.stream().map(type -> type.getPackageName()).distinct())
                .contains("io.pgdbm", "io.pgdbm.core", "io.pgdbm.extension");
    }

    @Test
    void extensionUsesNoCoreInternals() {
        noClasses().that().resideInAPackage("io.pgdbm.extension..")
                .should().dependOnClassesThat().resideInAPackage("io.pgdbm.core.internal..")
                .check(classes);
    }

    @Test
    void apiAndCoreDoNotKnowTheExtension() {
        noClasses().that().resideInAnyPackage("io.pgdbm", "io.pgdbm.core..")
                .should().dependOnClassesThat().resideInAPackage("io.pgdbm.extension..")
                .check(classes);
    }
}
