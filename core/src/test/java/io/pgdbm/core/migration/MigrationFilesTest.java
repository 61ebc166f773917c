package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgdbm.MigrationException;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.jboss.vfs.TempFileProvider;
import org.jboss.vfs.VFS;
import org.jboss.vfs.VirtualFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MigrationFilesTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void resolvesAClasspathFolderInNumericOrderIgnoringOtherFiles() {
        List<MigrationFile> files = MigrationFiles.fromClasspath("users", "/migrations/users/",
                getClass().getClassLoader());

        assertThat(files).extracting(MigrationFile::filename)
                .containsExactly("001_create_accounts.sql", "V2__add_email.sql", "010_index_email.sql");
        assertThat(files).extracting(MigrationFile::version).containsExactly(1L, 2L, 10L);
        assertThat(files).extracting(MigrationFile::description)
                .containsExactly("create_accounts", "add_email", "index_email");
        assertThat(files.get(0).text()).isEqualTo("-- accounts\nCREATE TABLE {{tables.accounts}} (id int);\n");
    }

    @Test
    void resolvesAClasspathFolderInsideAJar() throws Exception {
        Path jar = dir.resolve("library.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String name : List.of("db/orders/", "db/orders/2_items.sql", "db/orders/1_orders.sql",
                    "db/orders/nested/9_ignored.sql", "db/other/1_elsewhere.sql")) {
                out.putNextEntry(new JarEntry(name));
                if (!name.endsWith("/")) {
                    out.write(("SELECT '" + name + "';").getBytes(StandardCharsets.UTF_8));
                }
                out.closeEntry();
            }
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<MigrationFile> files = MigrationFiles.fromClasspath("orders", "db/orders", loader);

            assertThat(files).extracting(MigrationFile::filename).containsExactly("1_orders.sql", "2_items.sql");
            assertThat(files.get(1).text()).isEqualTo("SELECT 'db/orders/2_items.sql';");
        }
    }

    /** A WAR as a server deploys it: users' migrations in WEB-INF/classes, orders' in a library jar in WEB-INF/lib. */
    private Path war(String name) throws IOException {
        ByteArrayOutputStream library = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(library)) {
            entry(out, "db/orders/", null);
            entry(out, "db/orders/2_items.sql", "CREATE TABLE items (id int);");
            entry(out, "db/orders/1_orders.sql", "CREATE TABLE orders (id int);");
            entry(out, "db/orders/old/1_ignored.sql", "SELECT 'not directly in the folder';");
        }
        Path war = dir.resolve(name);
        Files.createDirectories(war.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(war))) {
            entry(out, "WEB-INF/classes/db/users/", null);
            entry(out, "WEB-INF/classes/db/users/2_names.sql", "ALTER TABLE accounts ADD COLUMN name text;");
            entry(out, "WEB-INF/classes/db/users/1_accounts.sql", "CREATE TABLE accounts (id int);");
            entry(out, "WEB-INF/classes/db/users/README.txt", "not a migration");
            entry(out, "db/users/1_outside_classes.sql", "SELECT 'not on the class path';");
            out.putNextEntry(new JarEntry("WEB-INF/lib/orders.jar"));
            out.write(library.toByteArray());
            out.closeEntry();
        }
        return war;
    }

    private static void entry(JarOutputStream out, String name, String text) throws IOException {
        out.putNextEntry(new JarEntry(name));
        if (text != null) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        out.closeEntry();
    }

    /** A class loader that answers one folder with one URL, as a server's does. */
    private static ClassLoader serving(String folder, URL url) {
        return new ClassLoader(null) {
            @Override
            public Enumeration<URL> getResources(String name) {
                return Collections.enumeration(name.equals(folder) ? List.of(url) : List.of());
            }
        };
    }

    /**
     * A URL of a server's own scheme whose connection is not a {@link java.net.JarURLConnection} (Open Liberty's
     * wsjar: connections are not): pgdbm must read the archive without it.
     */
    private static URL serverUrl(String text) throws IOException {
        URLStreamHandler opaque = new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL url) {
                return new URLConnection(url) {
                    @Override
                    public void connect() throws IOException {
                        throw new IOException("this scheme's connections cannot be used");
                    }
                };
            }
        };
        return new URL(null, text, opaque);
    }

    @Test
    void readsWebInfClassesOfAnUnexpandedWarFromALibertyWsjarUrl() throws Exception {
        Path war = war("apps/shop.war");
        URL folder = serverUrl("wsjar:" + war.toUri() + "!/WEB-INF/classes/db/users");

        List<MigrationFile> files = MigrationFiles.fromClasspath("users", "db/users", serving("db/users", folder));

        assertThat(files).extracting(MigrationFile::filename).containsExactly("1_accounts.sql", "2_names.sql");
        assertThat(files.get(1).text()).isEqualTo("ALTER TABLE accounts ADD COLUMN name text;");
    }

    @Test
    void readsAJarInsideAWarAtAnyDepthWhateverTheScheme() throws Exception {
        Path war = war("apps/shop.war");
        for (String scheme : List.of("wsjar", "jar", "zip")) {
            URL folder = serverUrl(scheme + ":" + war.toUri() + "!/WEB-INF/lib/orders.jar!/db/orders");

            List<MigrationFile> files = MigrationFiles.fromClasspath("orders", "db/orders",
                    serving("db/orders", folder));

            assertThat(files).as(scheme).extracting(MigrationFile::filename)
                    .containsExactly("1_orders.sql", "2_items.sql");
            assertThat(files.get(0).text()).isEqualTo("CREATE TABLE orders (id int);");
        }
    }

    @Test
    void readsAnArchiveWhosePathHasSpacesEncodedOrNot() throws Exception {
        Path war = war("my apps/shop.war");
        URL encoded = serverUrl("wsjar:" + war.toUri() + "!/WEB-INF/classes/db/users");
        URL raw = serverUrl("wsjar:file:" + war + "!/WEB-INF/classes/db/users");
        assertThat(encoded.toString()).contains("my%20apps");
        assertThat(raw.toString()).contains("my apps");

        for (URL folder : List.of(encoded, raw)) {
            assertThat(MigrationFiles.fromClasspath("users", "db/users", serving("db/users", folder)))
                    .as(folder.toString()).extracting(MigrationFile::filename)
                    .containsExactly("1_accounts.sql", "2_names.sql");
        }
    }

    @Test
    void readsAFolderOfAnUnexpandedWarFromAPlainClassLoaderOverTheJdksJarUrls() throws Exception {
        Path war = war("shop.war");
        // A URLClassLoader over WEB-INF/classes of the WAR: the JDK's own jar: URLs, nested.
        URL classes = new URL("jar:" + war.toUri() + "!/WEB-INF/classes/");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes}, null)) {
            URL found = loader.getResource("db/users");
            assertThat(found).isNotNull();

            assertThat(MigrationFiles.fromClasspath("users", "db/users", loader))
                    .extracting(MigrationFile::filename).containsExactly("1_accounts.sql", "2_names.sql");
        }
    }

    @Test
    void readsAJbossVfsFolderAsWildFlyServesIt() throws Exception {
        Path war = war("shop.war");
        VirtualFile mounted = VFS.getChild(dir.resolve("mounted/shop.war").toString());
        try (Closeable mount = VFS.mountZip(war.toFile(), mounted, TempFileProvider.create("pgdbm", null, true))) {
            URL folder = mounted.getChild("WEB-INF/classes/db/users").toURL();
            assertThat(folder.getProtocol()).isEqualTo("vfs");

            List<MigrationFile> files = MigrationFiles.fromClasspath("users", "db/users", serving("db/users", folder));

            assertThat(files).extracting(MigrationFile::filename).containsExactly("1_accounts.sql", "2_names.sql");
            assertThat(files.get(0).text()).isEqualTo("CREATE TABLE accounts (id int);");
        }
    }

    @Test
    void aUrlNoReaderUnderstandsIsRefusedWithTheUrlAndWhatToDo() throws Exception {
        URL folder = serverUrl("bundle://42.0:1/db/users");

        assertThatThrownBy(() -> MigrationFiles.fromClasspath("users", "db/users", serving("db/users", folder)))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("users - migrations folder db/users is at bundle://42.0:1/db/users, a kind of "
                        + "URL pgdbm cannot list")
                .hasMessageContaining("wsjar:")
                .hasMessageContaining("WEB-INF/classes");
    }

    @Test
    void checksumIsPgdbmsSha256OfTheTrimmedLfText() {
        // Known answers computed with Python: hashlib.sha256(text.replace("\r\n", "\n").strip().encode()).hexdigest()
        assertThat(MigrationFile.checksumOf(
                "\r\n-- create accounts\r\nCREATE TABLE {{tables.accounts}} (id int);\r\n\r\n"))
                .isEqualTo("f4df60980c7367f0e535edfd2aa59b650471c8a017b9157f2ea0a590f32a4229");
        assertThat(MigrationFile.checksumOf("CREATE TABLE {{tables.accounts}} (id int, name text DEFAULT 'Zoë');"))
                .isEqualTo("e7a5323565ae68f608ff6385c9129c1ebede6e540d4aadf89734820cec3b5be2");
        assertThat(MigrationFile.checksumOf("SELECT 1;\n")).isEqualTo(MigrationFile.checksumOf("  SELECT 1;\r\n  "));
    }

    @Test
    void checksumReadsLinesAndTrimsWhitespaceTheWayPythonDoes() {
        // pgdbm reads a file with Path.read_text() (universal newlines: a lone CR becomes LF) and trims with str.strip(),
        // whose whitespace includes NEL, NO-BREAK SPACE and FIGURE SPACE, which Java's String.strip() keeps. Known
        // answer computed with Python: the bytes below written to a file, read_text(), replace, strip, sha256.
        String text = "\u00a0\u2007-- old Mac\rCREATE TABLE {{tables.t}} (id int);\r\r\n\u0085\u3000\u001c";
        assertThat(MigrationFile.checksumOf(text))
                .isEqualTo("72e36bc3c8bca497f62e400f5e9b62d283f28bf3281f2b521d49ba133e30e407");
    }

    @Test
    void noTransactionMarkerMustBeExactlyTheFirstLine() throws IOException {
        write("1_concurrent.sql", "-- pgdbm:no-transaction\r\nCREATE INDEX CONCURRENTLY i ON t (a);");
        write("2_indented.sql", "  -- pgdbm:no-transaction\nSELECT 1;");
        write("4_longer.sql", "-- pgdbm:no-transactional\nSELECT 1;");

        assertThat(MigrationFiles.fromDirectory("m", dir)).extracting(MigrationFile::transactional)
                .containsExactly(false, true, true);
    }

    @Test
    void noTransactionMarkerThatPgdbmPythonWouldReadElsewhereIsAnError() throws IOException {
        write("3_second_line.sql", "SELECT 1;\n-- pgdbm:no-transaction\nCREATE INDEX CONCURRENTLY i ON t (a);");

        assertThatThrownBy(() -> MigrationFiles.fromDirectory("m", dir))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("m - migration 3_second_line.sql (")
                .hasMessageContaining("has -- pgdbm:no-transaction on line 2, where pgdbm (Java) does not read it")
                .hasMessageContaining("Move it there");

        write("3_second_line.sql", "-- pgdbm:no-transaction \nCREATE INDEX CONCURRENTLY i ON t (a);");
        assertThatThrownBy(() -> MigrationFiles.fromDirectory("m", dir))
                .hasMessageContaining("on line 1");
    }

    @Test
    void twoFilesWithOneVersionAreAnError() throws IOException {
        write("001_a.sql", "SELECT 1;");
        write("V1__b.sql", "SELECT 2;");

        assertThatThrownBy(() -> MigrationFiles.fromDirectory("users", dir))
                .isInstanceOf(MigrationException.class)
                .hasMessage("users - migrations 001_a.sql and V1__b.sql have the same version 1; give the newer one "
                        + "the next free number")
                .satisfies(e -> assertThat(((MigrationException) e).module()).isEqualTo("users"));
    }

    @Test
    void nameThatFitsNeitherFormIsAnError() throws IOException {
        write("create_accounts.sql", "SELECT 1;");

        assertThatThrownBy(() -> MigrationFiles.fromDirectory("users", dir))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("users - migration create_accounts.sql")
                .hasMessageContaining("name it NNN_description.sql (e.g. 001_create_accounts.sql) or "
                        + "VNNN__description.sql")
                .satisfies(e -> assertThat(((MigrationException) e).file()).isEqualTo("create_accounts.sql"));
    }

    @Test
    void emptyFileIsAnError() throws IOException {
        write("001_empty.sql", " \n\t\n");

        assertThatThrownBy(() -> MigrationFiles.fromDirectory("users", dir))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("users - migration 001_empty.sql")
                .hasMessageContaining("is empty");
    }

    @Test
    void fileThatCannotBeReadIsAnErrorNamingIt() throws IOException {
        write("001_first.sql", "SELECT 1;");
        // Root reads any file whatever its permissions, so unreadable here means a link to nothing.
        Files.createSymbolicLink(dir.resolve("002_gone.sql"), dir.resolve("nowhere.sql"));
        Files.createDirectory(dir.resolve("003_folder.sql"));

        assertThatThrownBy(() -> MigrationFiles.fromDirectory("users", dir))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("users - cannot read migration 002_gone.sql (" + dir.resolve("002_gone.sql"))
                .satisfies(e -> assertThat(((MigrationException) e).file()).isEqualTo("002_gone.sql"));
    }

    @Test
    void fileThatIsNotUtf8IsAnError() throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve("001_latin1.sql"))) {
            out.write(new byte[] {'S', 'E', 'L', 'E', 'C', 'T', ' ', '\'', (byte) 0xe9, '\''});
        }

        assertThatThrownBy(() -> MigrationFiles.fromDirectory("users", dir))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("is not valid UTF-8; save it as UTF-8");
    }

    @Test
    void missingFolderIsAnErrorButNoFolderMeansNoMigrations() {
        assertThatThrownBy(() -> MigrationFiles.fromClasspath("users", "db/usres", getClass().getClassLoader()))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("users - migrations folder db/usres is not on the classpath");
        assertThatThrownBy(() -> MigrationFiles.fromDirectory("users", dir.resolve("missing")))
                .isInstanceOf(MigrationException.class)
                .hasMessageContaining("does not exist");
        assertThat(MigrationFiles.fromClasspath("users", "", getClass().getClassLoader())).isEmpty();
    }
}
