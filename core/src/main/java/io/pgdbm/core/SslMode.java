package io.pgdbm.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** TLS modes, with libpq's and pgjdbc's meanings ({@code pgdbm.ssl.mode}). */
public enum SslMode {
    /** Never use TLS. */
    DISABLE("disable"),
    /** Plain first; TLS only if the server insists. */
    ALLOW("allow"),
    /** TLS when the server offers it, plain otherwise (the default). */
    PREFER("prefer"),
    /** TLS always, without checking the server's certificate. */
    REQUIRE("require"),
    /** TLS always, with the server's certificate checked against the root certificate. */
    VERIFY_CA("verify-ca"),
    /** Like {@link #VERIFY_CA}, and the certificate must name the host connected to. */
    VERIFY_FULL("verify-full");

    private final String value;

    SslMode(String value) {
        this.value = value;
    }

    /** The value as written in configuration and in pgjdbc's {@code sslmode} property. */
    public String value() {
        return value;
    }

    /** True for the modes that check the server's certificate against a root certificate. */
    public boolean verifiesCertificate() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }

    /**
     * The mode for a configuration value such as {@code verify-full}.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static SslMode of(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (SslMode mode : values()) {
            if (mode.value.equals(wanted)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an SSL mode; allowed: " + allowedValues());
    }

    static String allowedValues() {
        return Arrays.stream(values()).map(SslMode::value).collect(Collectors.joining(", "));
    }
}
