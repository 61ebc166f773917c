package io.pgdbm.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.members;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaMember;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layering rules of STYLE.md, checked on the compiled main classes of api and core. */
class ArchitectureTest {

    private static final String API_PACKAGE = "io.pgdbm";
    private static final String CORE_PACKAGES = "io.pgdbm.core..";
    private static final String INTERNAL_PACKAGES = "io.pgdbm..internal..";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(API_PACKAGE);
    }

    @Test
    void importsTheMainClassesOfApiAndCore() {
        // Guards the rules below: with a misconfigured import they would all pass on nothing.
        assertThat(classes.stream().filter(type -> type.getPackageName().startsWith("io.pgdbm.core")).count())
                .isGreaterThan(10);
        assertThat(classes.stream().filter(type -> type.getPackageName().equals(API_PACKAGE)).count())
                .isGreaterThan(5);
        assertThat(classes.stream().filter(type -> type.getPackageName().contains("internal")).count())
                .isPositive();
        assertThat(classes.stream().map(JavaClass::getSimpleName))
                .contains("ModuleDatabase", "DatabaseConfig")
                .doesNotContain(ArchitectureTest.class.getSimpleName());
    }

    @Test
    void coreUsesNoContainerTypes() {
        noClasses().that().resideInAPackage(CORE_PACKAGES)
                .should().dependOnClassesThat().resideInAnyPackage(
                        "jakarta..", "javax.enterprise..", "javax.inject..", "org.eclipse.microprofile..")
                .because("core runs without a container; the CDI layer is pgdbm-extension")
                .check(classes);
    }

    @Test
    void apiDoesNotDependOnCore() {
        noClasses().that().resideInAPackage(API_PACKAGE)
                .should().dependOnClassesThat().resideInAPackage(CORE_PACKAGES)
                .because("layers point one way: extension -> core -> api")
                .check(classes);
    }

    @Test
    void publicTypesDoNotExtendInternalTypes() {
        noClasses().that().arePublic().and().resideOutsideOfPackage(INTERNAL_PACKAGES)
                .should().beAssignableTo(JavaClass.Predicates.resideInAPackage(INTERNAL_PACKAGES))
                .because("users must never need a type from an internal package")
                .check(classes);
    }

    @Test
    void publicMembersOfPublicTypesDoNotExposeInternalTypes() {
        members().that().arePublic()
                .and().areDeclaredInClassesThat().arePublic()
                .and().areDeclaredInClassesThat().resideOutsideOfPackage(INTERNAL_PACKAGES)
                .should(notExposeTypesOf(INTERNAL_PACKAGES))
                .because("internal packages may change in any release")
                .check(classes);
    }

    private static ArchCondition<JavaMember> notExposeTypesOf(String packageIdentifier) {
        DescribedPredicate<JavaClass> internal = JavaClass.Predicates.resideInAPackage(packageIdentifier);
        return new ArchCondition<>("not expose types of " + packageIdentifier + " in their signature") {
            @Override
            public void check(JavaMember member, ConditionEvents events) {
                List<JavaType> signature = new ArrayList<>();
                if (member instanceof JavaField field) {
                    signature.add(field.getType());
                } else if (member instanceof JavaCodeUnit codeUnit) {
                    signature.add(codeUnit.getReturnType());
                    signature.addAll(codeUnit.getParameterTypes());
                }
                Set<JavaClass> involved = new LinkedHashSet<>();
                // Type arguments too: a public List<InternalThing> exposes InternalThing.
                signature.forEach(type -> involved.addAll(type.getAllInvolvedRawTypes()));
                for (JavaClass type : involved) {
                    if (internal.test(type)) {
                        events.add(SimpleConditionEvent.violated(member,
                                member.getFullName() + " exposes internal type " + type.getName()));
                    }
                }
            }
        };
    }
}
