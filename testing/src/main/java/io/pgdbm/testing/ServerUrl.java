package io.pgdbm.testing;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import org.postgresql.Driver;

/**
 * The admin URL of a test server, and from it the URL of each of its databases: the same hosts (a list, IPv6 literals
 * and all) and the same parameters ({@code sslmode}, {@code sslrootcert}, {@code options}, ...), another database.
 * The credentials are kept apart ({@link #user()}, {@link #password()}) and out of the database URLs.
 */
final class ServerUrl {

    private static final String PREFIX = "jdbc:postgresql:";
    private static final Set<String> CREDENTIALS = Set.of("user", "password");

    /** {@code //hosts} as written, or empty for {@code jdbc:postgresql:database}. */
    private final String authority;
    private final String adminDatabase;
    /** The query parameters as written, without the credentials, each {@code key=value}. */
    private final List<String> parameters;
    private final String user;
    private final String password;
    private final String target;

    private ServerUrl(String authority, String adminDatabase, List<String> parameters, String user, String password,
            String target) {
        this.authority = authority;
        this.adminDatabase = adminDatabase;
        this.parameters = List.copyOf(parameters);
        this.user = user;
        this.password = password;
        this.target = target;
    }

    /**
     * Parses an admin URL such as {@code jdbc:postgresql://db:5432/postgres?user=ci&password=x&sslmode=require}.
     *
     * @param source what the URL was read from, for the message
     * @throws IllegalStateException naming the source and the expected form, the password masked
     */
    static ServerUrl parse(String url, String source) {
        Properties parsed = url.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? Driver.parseURL(url, new Properties()) : null;
        if (parsed == null) {
            throw new IllegalStateException(source + " is not a PostgreSQL JDBC URL: " + redact(url)
                    + "; write it as jdbc:postgresql://host:5432/postgres?user=...&password=...");
        }
        String rest = url.substring(PREFIX.length());
        int question = rest.indexOf('?');
        String query = question < 0 ? "" : rest.substring(question + 1);
        String path = question < 0 ? rest : rest.substring(0, question);
        String authority = "";
        if (path.startsWith("//")) {
            int slash = path.indexOf('/', 2);
            authority = slash < 0 ? path : path.substring(0, slash);
        }
        List<String> parameters = new ArrayList<>();
        for (String parameter : query.split("&")) {
            int equals = parameter.indexOf('=');
            String key = decode(equals < 0 ? parameter : parameter.substring(0, equals));
            if (!parameter.isEmpty() && !CREDENTIALS.contains(key)) {
                parameters.add(parameter);
            }
        }
        List<String> hosts = new ArrayList<>();
        String[] names = parsed.getProperty("PGHOST", "localhost").split(",");
        String[] ports = parsed.getProperty("PGPORT", "5432").split(",");
        for (int i = 0; i < names.length; i++) {
            String host = names[i].contains(":") && !names[i].startsWith("[") ? "[" + names[i] + "]" : names[i];
            hosts.add(host + ":" + ports[Math.min(i, ports.length - 1)]);
        }
        String adminDatabase = parsed.getProperty("PGDBNAME", "");
        return new ServerUrl(authority, adminDatabase.isEmpty() ? "postgres" : adminDatabase, parameters,
                parsed.getProperty("user", "postgres"), parsed.getProperty("password"), String.join(",", hosts));
    }

    /** The URL of {@code database} on this server, without credentials. */
    String forDatabase(String database) {
        StringBuilder url = new StringBuilder(PREFIX).append(authority);
        url.append(authority.isEmpty() ? "" : "/").append(URLEncoder.encode(database, StandardCharsets.UTF_8));
        char separator = '?';
        for (String parameter : parameters) {
            url.append(separator).append(parameter);
            separator = '&';
        }
        return url.toString();
    }

    /** The admin URL with the credentials in it, for another process to reach this server. Never print it. */
    String adminUrlWithCredentials() {
        String url = forDatabase(adminDatabase);
        StringBuilder result = new StringBuilder(url).append(url.indexOf('?') < 0 ? '?' : '&')
                .append("user=").append(URLEncoder.encode(user, StandardCharsets.UTF_8));
        if (password != null) {
            result.append("&password=").append(URLEncoder.encode(password, StandardCharsets.UTF_8));
        }
        return result.toString();
    }

    String adminDatabase() {
        return adminDatabase;
    }

    String user() {
        return user;
    }

    /** {@code null} when the URL has none. */
    String password() {
        return password;
    }

    /** {@code host:port}, or several joined by commas, for messages. */
    String target() {
        return target;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
    }

    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1****");
    }
}
