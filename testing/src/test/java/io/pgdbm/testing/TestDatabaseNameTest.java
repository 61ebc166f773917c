package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Test database names say who made them and when, fit PostgreSQL's 63 characters, and match nothing else. */
class TestDatabaseNameTest {

    @Test
    void aNameSaysWhichMachineProcessAndTimeMadeIt() {
        TestDatabaseName name = new TestDatabaseName(new TestProcess("0a1b2c3d", 4242, 1_700_000_000L),
                1_700_000_100L, 7, false);

        assertThat(name.toString()).isEqualTo("pgdbm_test_0a1b2c3d_4242_1700000000_1700000100_7");
        assertThat(TestDatabaseName.parse(name.toString())).contains(name);
    }

    @Test
    void aTemplateNameEndsInTpl() {
        TestDatabaseName name = new TestDatabaseName(new TestProcess("0a1b2c3d", 1, 2), 3, 4, true);

        assertThat(name.toString()).endsWith("_4_tpl");
        assertThat(TestDatabaseName.parse(name.toString())).contains(name);
    }

    @Test
    void theLongestNameFitsPostgresqlsLimit() {
        // Linux PIDs stay below 2^22; seconds have ten digits until 2286; a billion databases per JVM.
        TestDatabaseName name = new TestDatabaseName(new TestProcess("ffffffff", 4_194_304, 9_999_999_999L),
                9_999_999_999L, 999_999_999, true);

        assertThat(name.toString()).hasSizeLessThanOrEqualTo(63);
        assertThat(TestDatabaseName.parse(name.toString())).contains(name);
    }

    @Test
    void namesOfOtherFormatsAreNotOurs() {
        assertThat(TestDatabaseName.parse("pgdbm_test_not_ours")).isEmpty();
        assertThat(TestDatabaseName.parse("pgdbm_test_4242_1700000000_7")).as("an earlier format").isEmpty();
        assertThat(TestDatabaseName.parse("pgdbm_test_0a1b2c3d_4242_1700000000_1700000100_7_made")).isEmpty();
        assertThat(TestDatabaseName.parse("x_pgdbm_test_0a1b2c3d_4242_1700000000_1700000100_7")).isEmpty();
        assertThat(TestDatabaseName.parse("pgdbm_test_0A1B2C3D_4242_1700000000_1700000100_7")).isEmpty();
    }

    @Test
    void thisJvmKnowsItsMachinePidAndStart() {
        TestProcess self = TestProcess.current();

        assertThat(self.pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(self.machine()).matches("[0-9a-f]{8}").isNotEqualTo(TestProcess.UNKNOWN_MACHINE);
        assertThat(self.startedEpochSecond()).isEqualTo(ProcessHandle.current().info().startInstant().orElseThrow()
                .getEpochSecond());
        assertThat(TestProcess.current()).as("the same on every call").isEqualTo(self);
    }
}
