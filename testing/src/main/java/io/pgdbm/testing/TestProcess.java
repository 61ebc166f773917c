package io.pgdbm.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A process that makes test databases, as its names record it: the machine it ran on, its PID, and when it started.
 *
 * <p>The machine is a tag of eight hex digits that stands for the Linux boot ({@code /proc/sys/kernel/random/boot_id})
 * and the PID namespace ({@code /proc/self/ns/pid}) together: two processes with the same tag see the same PIDs, so one
 * can tell whether the other is still running. A container has a PID namespace of its own, so it has a tag of its own,
 * and a process in it never judges another container's PIDs. Where those files cannot be read (not Linux), the tag is
 * {@link #UNKNOWN_MACHINE}, which matches no one.
 *
 * @param machine the machine tag
 * @param pid the process ID
 * @param startedEpochSecond when the process started; with the PID, it tells a process from a later one that got the
 *     same PID
 */
record TestProcess(String machine, long pid, long startedEpochSecond) {

    /** The tag of a process whose machine cannot be told: its PIDs are checked by no one. */
    static final String UNKNOWN_MACHINE = "00000000";

    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final Path PID_NAMESPACE = Path.of("/proc/self/ns/pid");

    /** This JVM. */
    static TestProcess current() {
        ProcessHandle self = ProcessHandle.current();
        // Without a start instant (some platforms), this JVM's own start is unknown to others too; the time of the
        // first call stands in for it and keeps names of this JVM apart from those of earlier ones.
        Instant started = self.info().startInstant().orElseGet(Instant::now);
        return new TestProcess(machineTag(), self.pid(), started.getEpochSecond());
    }

    /** Whether a process of machine {@code tag} sees the same PIDs as this one. */
    boolean sharesPidsWith(String tag) {
        return !machine.equals(UNKNOWN_MACHINE) && machine.equals(tag);
    }

    private static String machineTag() {
        String identity;
        try {
            identity = Files.readString(BOOT_ID, StandardCharsets.UTF_8).strip() + " "
                    + Files.readSymbolicLink(PID_NAMESPACE);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return UNKNOWN_MACHINE;
        }
        return tagOf(identity);
    }

    /** Eight hex digits of the SHA-256 of {@code identity}; never {@link #UNKNOWN_MACHINE}. */
    static String tagOf(String identity) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
        String tag = HexFormat.of().formatHex(sha256.digest(identity.getBytes(StandardCharsets.UTF_8)), 0, 4);
        return tag.equals(UNKNOWN_MACHINE) ? "00000001" : tag;
    }

    /** The start of the live process {@code pid} of this machine: empty when it is gone; unknown when alive. */
    static ProcessState stateOf(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            return new ProcessState(false, Optional.empty());
        }
        return new ProcessState(true, process.get().info().startInstant());
    }

    /**
     * What this machine says about a PID.
     *
     * @param alive whether a process has it now
     * @param started when that process started, if the platform says
     */
    record ProcessState(boolean alive, Optional<Instant> started) {
    }
}
