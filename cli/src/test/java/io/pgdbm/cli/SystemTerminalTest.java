package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Whether {@code db drop} may ask the JVM's console, from JDK 17 to JDK 22+ (where a console may be no terminal). */
class SystemTerminalTest {

    @Test
    void consoleThatSaysItIsNoTerminalIsNotAskedAsOnJdk22WithRedirectedInput() {
        assertThat(SystemTerminal.isTerminal(true, false)).isFalse();
    }

    @Test
    void consoleThatSaysItIsATerminalIsAsked() {
        assertThat(SystemTerminal.isTerminal(true, true)).isTrue();
    }

    @Test
    void consoleBeforeJdk22IsATerminalAsItExistsOnlyOnOne() {
        assertThat(SystemTerminal.isTerminal(true, null)).isTrue();
    }

    @Test
    void noConsoleIsNoTerminal() {
        assertThat(SystemTerminal.isTerminal(false, null)).isFalse();
    }

    @Test
    void testJvmWithItsInputFromMavenIsNoTerminal() {
        assertThat(SystemTerminal.current().isInteractive()).isFalse();
    }
}
