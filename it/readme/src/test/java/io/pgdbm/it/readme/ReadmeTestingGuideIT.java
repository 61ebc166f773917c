package io.pgdbm.it.readme;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The README's testing guide, built from its own text and run with {@code mvn test}: a project with only what the
 * guide's pom lists (pgdbm-testing and JUnit: no MicroProfile Config, no CDI), and a second one with the CDI
 * coordinates the guide adds, its module class and its weld-junit5 test, plus that test in {@code create()} mode, which
 * must fail saying which mode to use. Both are modules of one Maven run, against a local repository that holds this
 * build's io.pgdbm artifacts and nothing else of io.pgdbm ({@link ReactorRepository}); their tests start their own
 * embedded PostgreSQL, as the guide says.
 */
class ReadmeTestingGuideIT {

    private static final Path BUILD = Path.of("target/readme-testing-guide").toAbsolutePath();

    /** Where the guide says each of its blocks goes. */
    private static final String POM = "pom.xml";
    private static final String MIGRATION = "src/test/resources/db/users/001_accounts.sql";
    private static final String TEST = "src/test/java/AccountsTest.java";
    private static final String CDI_MODULE = "src/main/java/com/example/Accounts.java";
    private static final String CDI_TEST = "src/test/java/com/example/AccountsCdiTest.java";
    private static final String CDI_CREATE_TEST = "src/test/java/com/example/AccountsCdiCreateModeTest.java";

    private static NestedMaven.Run run;

    @BeforeAll
    static void buildTheGuidesProjects() {
        Readme guide = Readme.read().section("### Testing with pgdbm-testing");
        for (String path : List.of(MIGRATION, TEST, CDI_MODULE, CDI_TEST)) {
            assertThat(guide.mentions("`" + path + "`")).as("the guide names " + path).isTrue();
        }
        String pom = guide.block("snippet: testing-pom");
        Map<String, String> plain = new LinkedHashMap<>();
        plain.put(POM, pom);
        plain.put(MIGRATION, guide.block("snippet: testing-migration"));
        plain.put(TEST, guide.block("snippet: testing-test"));

        Map<String, String> cdi = new LinkedHashMap<>(plain);
        String dependencies = guide.block("snippet: testing-cdi-dependencies").indent(8);
        assertThat(pom).contains("    </dependencies>\n", "<artifactId>accounts</artifactId>");
        // One reactor cannot hold two projects of one name; the second is the first with the guide's CDI additions.
        cdi.put(POM, pom.replace("    </dependencies>\n", dependencies + "    </dependencies>\n")
                .replace("<artifactId>accounts</artifactId>", "<artifactId>accounts-cdi</artifactId>"));
        cdi.put(CDI_MODULE, guide.block("snippet: testing-cdi-module"));
        String cdiTest = guide.block("snippet: testing-cdi-test");
        cdi.put(CDI_TEST, cdiTest);
        assertThat(cdiTest).contains("class AccountsCdiTest {", "PgdbmTestDatabase.create().rollback();");
        cdi.put(CDI_CREATE_TEST, cdiTest.replace("class AccountsCdiTest {", "class AccountsCdiCreateModeTest {")
                .replace("PgdbmTestDatabase.create().rollback();", "PgdbmTestDatabase.create();"));

        Map<String, String> files = new LinkedHashMap<>();
        files.put(POM, """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                    <modelVersion>4.0.0</modelVersion>
                    <groupId>readme</groupId>
                    <artifactId>testing-guide</artifactId>
                    <version>1</version>
                    <packaging>pom</packaging>
                    <modules>
                        <module>plain</module>
                        <module>cdi</module>
                    </modules>
                </project>
                """);
        plain.forEach((path, text) -> files.put("plain/" + path, text));
        cdi.forEach((path, text) -> files.put("cdi/" + path, text));
        NestedMaven.write(BUILD, files);

        // The guide's command; the create() test fails on purpose, so failures are read from the reports instead.
        run = NestedMaven.run(BUILD, "mvn -q -T 2 test -Dmaven.test.failure.ignore=true", Map.of(),
                "readme-testing-guide.log");
        assertThat(run.exitCode()).as("exit code of mvn test; output:%n%s", run.output()).isZero();
    }

    @Test
    void theGuidesTestPassesWithOnlyPgdbmTestingAndJUnit() throws Exception {
        assertThat(report("plain", "AccountsTest")).containsExactly("registersAnAccount(ModuleDatabase): passed");
    }

    @Test
    void theGuidesCdiTestPassesWithTheCoordinatesItLists() throws Exception {
        assertThat(report("cdi", "AccountsTest")).containsExactly("registersAnAccount(ModuleDatabase): passed");
        assertThat(report("cdi", "com.example.AccountsCdiTest")).containsExactlyInAnyOrder(
                "registersAnAccount: passed", "registersItAgainAfterTheRollback: passed");
    }

    @Test
    void theCdiTestInCreateModeFailsSayingToUsePerClassOrRollback() throws Exception {
        List<String> outcomes = report("cdi", "com.example.AccountsCdiCreateModeTest");

        assertThat(outcomes).hasSize(2).allSatisfy(outcome -> assertThat(outcome)
                .startsWith(outcome.substring(0, outcome.indexOf(':')) + ": failed")
                .contains("PgdbmTestDatabase.create() of AccountsCdiCreateModeTest gives each test its own database")
                .contains("Register PgdbmTestDatabase.create().perClass() (one database for the class) or "
                        + ".rollback() (one database, each test rolled back) for a test with a container"));
    }

    /** Each test case of a surefire report: {@code name: passed}, or {@code name: failed} and the failure's text. */
    private static List<String> report(String module, String testClass) throws Exception {
        Path file = BUILD.resolve(module).resolve("target/surefire-reports/TEST-" + testClass + ".xml");
        assertThat(file).as("surefire's report of %s in %s; the build's output:%n%s", testClass, module,
                run.output()).exists();
        Document report = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        List<String> outcomes = new ArrayList<>();
        NodeList cases = report.getElementsByTagName("testcase");
        for (int i = 0; i < cases.getLength(); i++) {
            Element testCase = (Element) cases.item(i);
            StringBuilder outcome = new StringBuilder(testCase.getAttribute("name"));
            String problems = "";
            for (Node child = testCase.getFirstChild(); child != null; child = child.getNextSibling()) {
                if (child instanceof Element element && List.of("failure", "error", "skipped")
                        .contains(element.getTagName())) {
                    problems += " " + element.getTagName() + " " + element.getAttribute("message") + "\n"
                            + element.getTextContent();
                }
            }
            outcomes.add(outcome.append(problems.isEmpty() ? ": passed" : ": failed" + problems).toString());
        }
        return outcomes;
    }
}
