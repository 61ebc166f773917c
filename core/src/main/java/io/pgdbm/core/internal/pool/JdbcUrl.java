package io.pgdbm.core.internal.pool;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A PostgreSQL connection URL taken apart: {@code jdbc:postgresql://host:port/db?k=v}, or the libpq form
 * {@code postgresql://user:password@host:port/db?k=v} that pgdbm (Python) and most tools use. Internal.
 */
public final class JdbcUrl {

    private static final String JDBC_PREFIX = "jdbc:postgresql:";

    private final String hosts;
    private final String firstHost;
    private final int firstPort;
    private final String database;
    private final Map<String, String> parameters;
    private final String user;
    private final String password;

    private JdbcUrl(String hosts, String database, Map<String, String> parameters, String user, String password) {
        this.hosts = hosts;
        this.database = database;
        this.parameters = Collections.unmodifiableMap(parameters);
        this.user = user;
        this.password = password;
        String first = hosts.split(",")[0];
        String host = first;
        int port = 5432;
        int colon = first.lastIndexOf(':');
        if (colon > 0 && colon > first.lastIndexOf(']')) {
            host = first.substring(0, colon);
            port = Integer.parseInt(first.substring(colon + 1));
        }
        this.firstHost = host;
        this.firstPort = port;
    }

    /**
     * Parses a URL.
     *
     * @throws IllegalArgumentException saying which forms are accepted
     */
    public static JdbcUrl parse(String url) {
        String text = url.trim();
        String lower = text.toLowerCase(Locale.ROOT);
        String rest;
        boolean libpq = false;
        if (lower.startsWith(JDBC_PREFIX)) {
            rest = text.substring(JDBC_PREFIX.length());
        } else if (lower.startsWith("postgresql:") || lower.startsWith("postgres:")) {
            rest = text.substring(text.indexOf(':') + 1);
            libpq = true;
        } else {
            throw new IllegalArgumentException("'" + redact(text) + "' is not a PostgreSQL URL; write it as "
                    + "jdbc:postgresql://host:5432/database or postgresql://user:password@host:5432/database");
        }
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String hosts = "localhost:5432";
        String database;
        String user = null;
        String password = null;
        if (rest.startsWith("//")) {
            String authorityAndPath = rest.substring(2);
            int slash = authorityAndPath.indexOf('/');
            String authority = slash >= 0 ? authorityAndPath.substring(0, slash) : authorityAndPath;
            database = slash >= 0 ? authorityAndPath.substring(slash + 1) : "";
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                if (!libpq) {
                    throw new IllegalArgumentException("user information in a jdbc:postgresql URL is not supported; "
                            + "set pgdbm.datasource.username and pgdbm.datasource.password instead");
                }
                String userInfo = authority.substring(0, at);
                authority = authority.substring(at + 1);
                int colon = userInfo.indexOf(':');
                user = decode(colon >= 0 ? userInfo.substring(0, colon) : userInfo);
                password = colon >= 0 ? decode(userInfo.substring(colon + 1)) : null;
            }
            if (!authority.isEmpty()) {
                hosts = normaliseHosts(authority);
            }
        } else {
            database = rest.startsWith("/") ? rest.substring(1) : rest;
        }
        if (database.isEmpty()) {
            database = user != null ? user : "postgres";
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq >= 0 ? pair.substring(0, eq) : pair);
            String value = eq >= 0 ? decode(pair.substring(eq + 1)) : "";
            parameters.put(key, value);
        }
        return new JdbcUrl(hosts, decode(database), parameters, user, password);
    }

    private static String normaliseHosts(String authority) {
        StringBuilder result = new StringBuilder();
        for (String host : authority.split(",")) {
            if (result.length() > 0) {
                result.append(',');
            }
            boolean hasPort = host.lastIndexOf(':') > host.lastIndexOf(']');
            if (hasPort) {
                String port = host.substring(host.lastIndexOf(':') + 1);
                if (port.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
                    throw new IllegalArgumentException("port '" + port + "' in '" + authority + "' is not a number");
                }
            }
            result.append(host).append(hasPort ? "" : ":5432");
        }
        return result.toString();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The URL with a password in it replaced by {@code ****}, for messages. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(://[^:/@]*:)[^@/]*@", "$1****@").replaceAll("(?i)(password=)[^&]*", "$1****");
    }

    /** The JDBC form of this URL without the named parameters (they travel as driver properties instead). */
    public String toJdbcUrl(Set<String> dropParameters) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(hosts).append('/').append(encode(database));
        char separator = '?';
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            if (dropParameters.contains(parameter.getKey())) {
                continue;
            }
            url.append(separator).append(encode(parameter.getKey())).append('=').append(encode(parameter.getValue()));
            separator = '&';
        }
        return url.toString();
    }

    /** {@code host:port}, or several joined by commas. */
    public String hosts() {
        return hosts;
    }

    public String firstHost() {
        return firstHost;
    }

    public int firstPort() {
        return firstPort;
    }

    public String database() {
        return database;
    }

    /** Query parameters, decoded, in order. */
    public Map<String, String> parameters() {
        return parameters;
    }

    /** The user named in a libpq-style URL, or {@code null}. */
    public String user() {
        return user;
    }

    /** The password given in a libpq-style URL, or {@code null}. */
    public String password() {
        return password;
    }

    /** {@code host:port/database}, for messages. */
    public String target() {
        return hosts + "/" + database;
    }
}
