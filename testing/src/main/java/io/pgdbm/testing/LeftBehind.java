package io.pgdbm.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Tells a test database that a crashed or killed run left behind from one that may be in use, by what its name
 * records ({@link TestDatabaseName}). Left behind:
 * <ul>
 *   <li>made by a process of this machine (see {@link TestProcess}) that is gone: its PID is free, or belongs to a
 *       process that started at another time than the one that made it (PIDs are reused, in containers soon);</li>
 *   <li>older than the age limit, whoever made it: the only rule for databases made on another machine or in another
 *       container, whose processes this one cannot see.</li>
 * </ul>
 * A database of this very process is never left behind.
 */
final class LeftBehind {

    private final TestProcess self;
    private final Instant now;
    private final Duration maxAge;
    private final LongFunction<TestProcess.ProcessState> processes;

    LeftBehind(TestProcess self, Instant now, Duration maxAge, LongFunction<TestProcess.ProcessState> processes) {
        this.self = self;
        this.now = now;
        this.maxAge = maxAge;
        this.processes = processes;
    }

    /** Why {@code name} was left behind; empty when it may be in use. */
    Optional<String> reason(TestDatabaseName name) {
        TestProcess owner = name.owner();
        if (owner.equals(self)) {
            return Optional.empty();
        }
        Duration age = Duration.between(Instant.ofEpochSecond(name.createdEpochSecond()), now);
        if (age.compareTo(maxAge) > 0) {
            return Optional.of("made " + age.toMinutes() + " min ago, more than the " + maxAge.toMinutes()
                    + " min a test database may live");
        }
        if (!self.sharesPidsWith(owner.machine())) {
            return Optional.empty();
        }
        if (owner.pid() == self.pid()) {
            return Optional.of("made by an earlier process with this JVM's PID " + owner.pid() + " (started at "
                    + Instant.ofEpochSecond(owner.startedEpochSecond()) + "; this one at "
                    + Instant.ofEpochSecond(self.startedEpochSecond()) + ")");
        }
        TestProcess.ProcessState state = processes.apply(owner.pid());
        if (!state.alive()) {
            return Optional.of("its process " + owner.pid() + " is gone");
        }
        Optional<Instant> started = state.started();
        if (started.isPresent() && started.get().getEpochSecond() != owner.startedEpochSecond()) {
            return Optional.of("its process " + owner.pid() + " is gone; the PID now belongs to one started at "
                    + started.get());
        }
        return Optional.empty();
    }
}
