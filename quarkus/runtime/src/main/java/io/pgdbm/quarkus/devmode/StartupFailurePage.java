package io.pgdbm.quarkus.devmode;

import io.pgdbm.ConfigurationException;
import io.pgdbm.ConnectionException;
import io.pgdbm.MigrationException;
import io.pgdbm.PgdbmException;
import io.pgdbm.PoolTimeoutException;
import io.pgdbm.QueryException;
import io.pgdbm.TemplateException;
import io.quarkus.dev.ErrorPageGenerators;
import io.quarkus.dev.spi.HotReplacementContext;
import io.quarkus.dev.spi.HotReplacementSetup;
import io.quarkus.runtime.TemplateHtmlBuilder;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Dev mode's error page for a start that pgdbm stopped: its headline is pgdbm's one-line summary
 * ({@code pgdbm: module users was not migrated, and the application does not start: 001_accounts.sql was changed
 * after it was applied (...)}), followed by pgdbm's message, which says how to fix it, and the stack trace.
 *
 * <p>Quarkus's own page heads every failed start with the outermost exception, {@code java.lang.RuntimeException:
 * Failed to start quarkus}, and leaves pgdbm's line somewhere in the stack trace. Quarkus picks a page by the class of
 * the failure's root cause ({@link ErrorPageGenerators}), so this page is registered for the root causes of the
 * failures pgdbm stops a start with: its own exceptions (the checks before a run, configuration) and the server's
 * {@code PSQLException} (a migration statement that failed). It finds pgdbm's summary in the whole failure
 * ({@link HotReplacementContext#getDeploymentProblem()}), not in the root cause alone; when the failure is not
 * pgdbm's (a {@code PSQLException} from the application's own start-up code), the page is like Quarkus's own: the
 * failure's class and first line, and its stack trace.
 *
 * <p>Quarkus finds this class through {@code META-INF/services/io.quarkus.dev.spi.HotReplacementSetup} in dev mode
 * only; nothing of it runs in a production or test application.
 */
public final class StartupFailurePage implements HotReplacementSetup {

    private static final Logger LOG = Logger.getLogger(StartupFailurePage.class);

    /** The title Quarkus gives its own page for a failed start; kept, so the page reads as Quarkus's. */
    static final String TITLE = "Error restarting Quarkus";

    /** What {@code StartupFailure} in pgdbm-extension starts its summary with. */
    private static final String SUMMARY_PREFIX = "pgdbm: ";

    /**
     * Root causes of the failures pgdbm stops a start with. Class names, not classes: Quarkus matches by name, and the
     * application's copy of a class may come from another class loader than this one.
     */
    static final List<String> ROOT_CAUSES = List.of(
            PgdbmException.class.getName(),
            MigrationException.class.getName(),
            ConfigurationException.class.getName(),
            ConnectionException.class.getName(),
            QueryException.class.getName(),
            TemplateException.class.getName(),
            PoolTimeoutException.class.getName(),
            // A migration statement the server refused: MigrationException -> PSQLException.
            "org.postgresql.util.PSQLException");

    private volatile HotReplacementContext context;

    /** Registers the page for pgdbm's root causes; one another extension registered first keeps its own page. */
    @Override
    public void setupHotDeployment(HotReplacementContext context) {
        this.context = context;
        for (String rootCause : ROOT_CAUSES) {
            try {
                ErrorPageGenerators.register(rootCause, this::page);
            } catch (IllegalStateException taken) {
                LOG.debugf("pgdbm - dev mode error page: %s already has a page of another extension", rootCause);
            }
        }
    }

    /** The page for a failed start whose root cause is {@code rootCause}. */
    String page(Throwable rootCause) {
        HotReplacementContext current = context;
        Throwable problem = current != null && current.getDeploymentProblem() != null
                ? current.getDeploymentProblem() : rootCause;
        Throwable summary = summaryIn(problem);
        if (summary == null) {
            return quarkusDefault(problem);
        }
        String headline = summary.getMessage();
        TemplateHtmlBuilder page = new TemplateHtmlBuilder(TITLE, headline, headline, List.of(), null, List.of());
        page.append("<pre style=\"white-space:pre-wrap\">" + escape(summary.getCause().getMessage()) + "</pre>\n");
        page.stack(problem);
        return page.toString();
    }

    /**
     * pgdbm's summary in {@code failure}'s chain of causes: the exception whose message starts with {@code pgdbm: } and
     * whose cause is pgdbm's exception (the {@code DeploymentException} pgdbm-extension stops a start with), or
     * {@code null} when the failure is not pgdbm's.
     */
    static Throwable summaryIn(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable current = failure; current != null && seen.add(current); current = current.getCause()) {
            Throwable cause = current.getCause();
            String message = current.getMessage();
            if (cause != null && message != null && message.startsWith(SUMMARY_PREFIX) && isPgdbms(cause)
                    && !isPgdbms(current)) {
                return current;
            }
        }
        return null;
    }

    /** By the class hierarchy's names: the exception may come from another class loader than this class. */
    private static boolean isPgdbms(Throwable exception) {
        for (Class<?> type = exception.getClass(); type != null; type = type.getSuperclass()) {
            if (type.getName().equals(PgdbmException.class.getName())) {
                return true;
            }
        }
        return false;
    }

    /** Quarkus's own page (vert.x HTTP's {@code ReplacementDebugPage}) in short, for a failure that is not pgdbm's. */
    private static String quarkusDefault(Throwable problem) {
        String message = problem.getMessage() == null ? "" : problem.getMessage().split("\\r?\\n", 2)[0].trim();
        String header = problem.getClass().getName() + ": " + message;
        return new TemplateHtmlBuilder(TITLE, problem.getClass().getName(), header, List.of(), null, List.of())
                .stack(problem).toString();
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
