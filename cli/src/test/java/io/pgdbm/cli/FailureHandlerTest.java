package io.pgdbm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How failures that pgdbm did not foresee, and arguments picocli could not match, are reported. */
class FailureHandlerTest {

    private final FailureHandler handler = new FailureHandler();

    @Test
    void unexpectedExceptionIsOneCleanLineThatPointsToVerbose() {
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(PgdbmCli.class);
        commandLine.setErr(new PrintWriter(err, true));

        int code = handler.handleExecutionException(new IllegalStateException("pool\n  closed"), commandLine, null);

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("pgdbm: pool closed (unexpected IllegalStateException; run again "
                + "with --verbose for the stack trace)\n");
    }

    @Test
    void valuesAfterAnUnknownOptionAreCountedNotShown() {
        assertThat(FailureHandler.describe(List.of("--pasword", "s3cret")))
                .isEqualTo("Unknown option '--pasword' (the value given to it is not shown, in case it is a secret)");
        assertThat(FailureHandler.describe(List.of("--pasword=s3cret"))).doesNotContain("s3cret")
                .startsWith("Unknown option '--pasword' (");
        assertThat(FailureHandler.describe(List.of("extra", "postgresql://app:s3cret@db/app")))
                .isEqualTo("Unexpected arguments 'extra', 'postgresql://app:****@db/app'");
    }
}
