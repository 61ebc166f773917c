package io.pgdbm.core.internal.engine;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the caller opened something that holds a connection after the call returns (a stream), for the warning
 * logged when it is dropped without being closed: the first few frames outside pgdbm, its proxies and the JDK.
 *
 * <p>Taken with {@link StackWalker}, which stops after those frames, rather than a full {@code new Throwable()}:
 * its cost does not grow with the depth of the caller's stack (deep in an application server), and it stays small
 * beside the round trip that opening a stream costs anyway.
 */
final class OpenedAt {

    /** Enough to see the caller and who called it. */
    static final int FRAMES = 5;

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** The frames as walked; turned into {@link StackTraceElement}s (the costly part) only for a warning. */
    private final List<StackWalker.StackFrame> frames;

    private OpenedAt(List<StackWalker.StackFrame> frames) {
        this.frames = frames;
    }

    /** The caller's frames, from the first one that is not pgdbm's own plumbing. */
    static OpenedAt capture() {
        return new OpenedAt(WALKER.walk(stack -> stack
                .dropWhile(frame -> isPlumbing(frame.getClassName()))
                .limit(FRAMES)
                .collect(Collectors.toList())));
    }

    /** pgdbm's engine, the API's default methods, the JDK, and the proxies containers put in front of a bean. */
    static boolean isPlumbing(String className) {
        return className.startsWith("io.pgdbm.core.internal.") || className.startsWith("io.pgdbm.ModuleDatabase")
                || className.startsWith("java.") || className.startsWith("jdk.") || className.startsWith("sun.")
                || className.contains("$$") || className.contains("$Proxy") || className.contains("ClientProxy");
    }

    /** The first frame, {@code com.shop.Orders.list(Orders.java:42)}, or {@code "an unknown place"}. */
    String caller() {
        return frames.isEmpty() ? "an unknown place" : frames.get(0).toStackTraceElement().toString();
    }

    /** The frames as a throwable for the log, which prints them as a stack trace. */
    Throwable asThrowable(String message) {
        Throwable trace = new StackTrace(message);
        trace.setStackTrace(frames.stream().map(StackWalker.StackFrame::toStackTraceElement)
                .toArray(StackTraceElement[]::new));
        return trace;
    }

    /** A stack trace to print, not an error: no frames of its own are taken. */
    private static final class StackTrace extends Throwable {

        private static final long serialVersionUID = 1L;

        StackTrace(String message) {
            super(message, null, false, true);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
