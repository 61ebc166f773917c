package io.pgdbm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Which test databases count as left behind by a crashed or killed run, judged by real processes of this machine. */
class LeftBehindTest {

    private static final Duration MAX_AGE = Duration.ofHours(6);

    private final TestProcess self = TestProcess.current();
    private final Instant now = Instant.now();
    private final LeftBehind leftBehind = new LeftBehind(self, now, MAX_AGE, TestProcess::stateOf);
    private Process live;

    @BeforeEach
    void startAProcess() throws IOException {
        live = new ProcessBuilder("sleep", "600").start();
    }

    @AfterEach
    void stopIt() {
        live.destroyForcibly();
    }

    @Test
    void aDatabaseOfThisProcessIsInUseWhateverItsAge() {
        assertThat(leftBehind.reason(madeBy(self, now.minus(Duration.ofDays(2))))).isEmpty();
    }

    @Test
    void aDatabaseOfAnEarlierProcessThatHadThisJvmsPidIsLeftBehind() {
        TestProcess earlier = new TestProcess(self.machine(), self.pid(), self.startedEpochSecond() - 3600);

        assertThat(leftBehind.reason(madeBy(earlier, now))).get().asString()
                .startsWith("made by an earlier process with this JVM's PID " + self.pid());
    }

    @Test
    void aDatabaseOfALiveProcessOfThisMachineIsInUse() {
        assertThat(leftBehind.reason(madeBy(started(live), now))).isEmpty();
    }

    @Test
    void aDatabaseOfAProcessThatIsGoneIsLeftBehind() throws InterruptedException {
        TestProcess owner = started(live);
        live.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        assertThat(leftBehind.reason(madeBy(owner, now))).contains("its process " + owner.pid() + " is gone");
    }

    @Test
    void aLiveProcessThatGotTheOwnersPidLaterDoesNotProtectItsDatabases() {
        TestProcess live = started(this.live);
        TestProcess earlierOwner = new TestProcess(live.machine(), live.pid(), live.startedEpochSecond() - 60);

        assertThat(leftBehind.reason(madeBy(earlierOwner, now))).get().asString()
                .startsWith("its process " + live.pid() + " is gone; the PID now belongs to one started at");
    }

    @Test
    void aDatabaseOlderThanTheAgeLimitIsLeftBehindEvenWhenItsProcessLives() {
        TestDatabaseName old = madeBy(started(live), now.minus(MAX_AGE).minusSeconds(60));

        assertThat(leftBehind.reason(old)).get().asString().startsWith("made 361 min ago, more than the 360 min");
        assertThat(new LeftBehind(self, now, Duration.ofDays(1), TestProcess::stateOf).reason(old)).isEmpty();
    }

    @Test
    void aDatabaseMadeOnAnotherMachineIsJudgedByItsAgeOnly() {
        // A PID of another machine (or container) says nothing here: this one, of a process of ours, is gone.
        TestProcess elsewhere = new TestProcess(TestProcess.tagOf("another machine"), self.pid(), 1);

        assertThat(leftBehind.reason(madeBy(elsewhere, now.minusSeconds(60)))).isEmpty();
        assertThat(leftBehind.reason(madeBy(elsewhere, now.minus(MAX_AGE).minusSeconds(60)))).isPresent();
    }

    @Test
    void aProcessThatCannotTellItsMachineJudgesByAgeOnly() {
        TestProcess unknown = new TestProcess(TestProcess.UNKNOWN_MACHINE, self.pid(), self.startedEpochSecond());
        LeftBehind judge = new LeftBehind(unknown, now, MAX_AGE, TestProcess::stateOf);
        TestProcess gone = new TestProcess(TestProcess.UNKNOWN_MACHINE, self.pid(), self.startedEpochSecond() - 60);

        assertThat(judge.reason(madeBy(gone, now))).isEmpty();
    }

    private static TestProcess started(Process process) {
        return new TestProcess(TestProcess.current().machine(), process.pid(),
                process.info().startInstant().orElseThrow().getEpochSecond());
    }

    private static TestDatabaseName madeBy(TestProcess owner, Instant created) {
        return new TestDatabaseName(owner, created.getEpochSecond(), 1, false);
    }
}
