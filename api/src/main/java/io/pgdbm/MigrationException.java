package io.pgdbm;

import java.util.List;

/**
 * A module's migrations cannot be resolved, validated or applied. The message names the module, the file, what is
 * wrong and how to fix it; {@link #module()}, {@link #file()} and {@link #line()} give where to code, and
 * {@link #problems()} lists each problem when the checks before a run failed (a file changed after it was applied, an
 * applied file missing, ...).
 */
public class MigrationException extends PgdbmException {

    private static final long serialVersionUID = 1L;

    private final String module;
    private final String file;
    private final int line;
    private final List<String> problems;

    public MigrationException(String module, String file, String message) {
        this(module, file, 0, message, null);
    }

    public MigrationException(String module, String file, String message, Throwable cause) {
        this(module, file, 0, message, cause);
    }

    /**
     * @param line the line of the file at fault (1-based), or 0 when not known
     */
    public MigrationException(String module, String file, int line, String message, Throwable cause) {
        this(module, file, line, message, cause, List.of());
    }

    /**
     * The checks before a run failed: nothing was applied.
     *
     * @param file the first file at fault
     * @param problems each problem, one line each, saying what to do
     */
    public MigrationException(String module, String file, String message, List<String> problems) {
        this(module, file, 0, message, null, problems);
    }

    private MigrationException(String module, String file, int line, String message, Throwable cause,
            List<String> problems) {
        super(message, cause);
        this.module = module;
        this.file = file;
        this.line = Math.max(0, line);
        this.problems = List.copyOf(problems);
    }

    /** The module whose migrations failed. */
    public String module() {
        return module;
    }

    /** The migration file at fault, or {@code null} when the problem is not one file's. */
    public String file() {
        return file;
    }

    /** The line of {@link #file()} at fault (1-based), or 0 when it is not known. */
    public int line() {
        return line;
    }

    /**
     * The problems the checks before a run found, each on one line with what to do (nothing was applied); empty when
     * the exception is not about those checks (a file failed, the folder cannot be read, ...).
     */
    public List<String> problems() {
        return problems;
    }

    /** The SQLSTATE of the server error that made the file fail, or {@code null} when no statement failed. */
    public String getSqlState() {
        for (Throwable cause = getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }
}
