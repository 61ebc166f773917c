package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sweep drops what dead runs left behind on the server, and never another name nor a live run's database. */
class SweepTest {

    private final PgdbmTestServer server = PgdbmTestServer.shared();
    private final TestProcess self = TestProcess.current();
    private final List<String> made = new ArrayList<>();

    @AfterEach
    void dropWhatIsLeft() {
        made.forEach(server::drop);
    }

    @Test
    void dropsDatabasesOfDeadRunsAndKeepsTheRest() throws IOException, InterruptedException {
        Process live = new ProcessBuilder("sleep", "600").start();
        Process dead = new ProcessBuilder("sleep", "600").start();
        long deadStart = dead.info().startInstant().orElseThrow().getEpochSecond();
        dead.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        try {
            long liveStart = live.info().startInstant().orElseThrow().getEpochSecond();
            String ofDeadProcess = make(new TestProcess(self.machine(), dead.pid(), deadStart));
            String ofEarlierJvmWithOurPid = make(new TestProcess(self.machine(), self.pid(),
                    self.startedEpochSecond() - 600));
            String ofProcessWhosePidWasReused = make(new TestProcess(self.machine(), live.pid(), liveStart - 600));
            String ofLiveProcess = make(new TestProcess(self.machine(), live.pid(), liveStart));
            String fromAnotherMachine = make(new TestProcess(TestProcess.tagOf("elsewhere"), dead.pid(), deadStart));
            String notOurs = "pgdbm_test_not_ours";
            server.create(notOurs, null);
            made.add(notOurs);
            String ourOwn = server.newName(false);
            server.create(ourOwn, null);
            made.add(ourOwn);

            List<String> dropped = server.sweep();

            assertThat(dropped).containsExactlyInAnyOrder(ofDeadProcess, ofEarlierJvmWithOurPid,
                    ofProcessWhosePidWasReused);
            assertThat(server.databases()).doesNotContain(ofDeadProcess, ofEarlierJvmWithOurPid,
                    ofProcessWhosePidWasReused).contains(ofLiveProcess, fromAnotherMachine, notOurs, ourOwn);
        } finally {
            live.destroyForcibly();
        }
    }

    @Test
    void dropsDatabasesOfAnyRunOlderThanTheAgeLimit() {
        String fromAnotherMachine = make(new TestProcess(TestProcess.tagOf("elsewhere"), 1, 1));

        assertThat(server.sweep()).as("younger than " + PgdbmTestServer.SWEEP_AGE_HOURS + " hours")
                .doesNotContain(fromAnotherMachine);
        assertThat(server.sweep(Duration.ZERO)).contains(fromAnotherMachine);
        assertThat(server.databases()).doesNotContain(fromAnotherMachine);
    }

    private String make(TestProcess owner) {
        String name = new TestDatabaseName(owner, Instant.now().minusSeconds(1).getEpochSecond(), 1, false)
                .toString();
        server.create(name, null);
        made.add(name);
        return name;
    }
}
