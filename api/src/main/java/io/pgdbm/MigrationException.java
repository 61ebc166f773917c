package io.pgdbm;

/**
 * A module's migrations cannot be resolved, validated or applied. The message names the module, the file, what is
 * wrong and how to fix it; {@link #module()} and {@link #file()} give the first two to code.
 */
public class MigrationException extends PgdbmException {

    private static final long serialVersionUID = 1L;

    private final String module;
    private final String file;

    public MigrationException(String module, String file, String message) {
        super(message);
        this.module = module;
        this.file = file;
    }

    public MigrationException(String module, String file, String message, Throwable cause) {
        super(message, cause);
        this.module = module;
        this.file = file;
    }

    /** The module whose migrations failed. */
    public String module() {
        return module;
    }

    /** The migration file at fault, or {@code null} when the problem is not one file's. */
    public String file() {
        return file;
    }
}
