package io.pgdbm.cli;

import java.io.Console;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * The JVM's console, when it is a terminal a person types at. Up to JDK 21, {@code System.console()} is {@code null}
 * unless input and output are a terminal. From JDK 22 on it is there when they are redirected too (the JLine
 * console), and only {@code Console.isTerminal()} tells: {@code echo app | pgdbm db drop} must not count as a person
 * typing {@code app}. The command is compiled for JDK 17, so that method is called by reflection.
 */
final class SystemTerminal implements Terminal {

    /** {@code Console.isTerminal()}, or {@code null} on a JDK before 22. */
    private static final Method IS_TERMINAL = isTerminalMethod();

    private final Console console;

    private SystemTerminal(Console console) {
        this.console = console;
    }

    /** The JVM's terminal, or {@link Terminal#NONE} when input or output is not one. */
    static Terminal current() {
        Console console = System.console();
        return isTerminal(console != null, console == null ? null : consoleIsTerminal(console))
                ? new SystemTerminal(console) : NONE;
    }

    /**
     * Whether there is a terminal to ask on.
     *
     * @param hasConsole whether {@code System.console()} is there
     * @param consoleIsTerminal what its {@code isTerminal()} says, {@code null} on a JDK without that method (where a
     *     console is there only on a terminal)
     */
    static boolean isTerminal(boolean hasConsole, Boolean consoleIsTerminal) {
        return hasConsole && (consoleIsTerminal == null || consoleIsTerminal);
    }

    @Override
    public boolean isInteractive() {
        return true;
    }

    @Override
    public String readLine(String prompt) {
        return console.readLine("%s", prompt);
    }

    private static Method isTerminalMethod() {
        try {
            return Console.class.getMethod("isTerminal");
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** What {@code console.isTerminal()} says; {@code null} before JDK 22. */
    private static Boolean consoleIsTerminal(Console console) {
        if (IS_TERMINAL == null) {
            return null;
        }
        try {
            return (Boolean) IS_TERMINAL.invoke(console);
        } catch (IllegalAccessException | InvocationTargetException e) {
            // Not knowing whether a person is there means asking no one: db drop then needs --yes.
            return false;
        }
    }
}
