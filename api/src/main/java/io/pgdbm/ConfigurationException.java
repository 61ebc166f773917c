package io.pgdbm;

/**
 * A setting is missing, malformed or contradicts another. Thrown when the configuration is built, before any
 * connection is made. The message names the key (or both keys of a contradiction), the value, and what is allowed.
 */
public class ConfigurationException extends PgdbmException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ConfigurationException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The configuration key at fault, e.g. {@code pgdbm.pool.max-size}. */
    public String key() {
        return key;
    }
}
