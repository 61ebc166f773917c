package io.pgdbm.core.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar reader of the start-up check reads what {@link JarFile} reads, and leaves anything unusual to it. */
class JarFolderTest {

    @TempDir
    Path dir;

    /** A jar with deflated entries (sizes in data descriptors, as JarOutputStream writes them) and stored ones. */
    private Path jar(String name) throws IOException {
        return jar(name, true);
    }

    private Path jar(String name, boolean withEmptyFile) throws IOException {
        Path jar = dir.resolve(name);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("db/"));
            out.closeEntry();
            out.putNextEntry(new JarEntry("db/users/"));
            out.closeEntry();
            for (int i = 1; i <= 40; i++) {
                String text = "-- Zoë's migration " + i + "\nCREATE TABLE {{tables.t_" + i + "}} (id int);\n"
                        + "x".repeat(i * 37);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                JarEntry entry = new JarEntry(String.format("db/users/%03d_t.sql", i));
                if (i % 3 == 0) {
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(bytes.length);
                    CRC32 crc = new CRC32();
                    crc.update(bytes);
                    entry.setCrc(crc.getValue());
                }
                out.putNextEntry(entry);
                out.write(bytes);
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("db/users/nested/999_not_here.sql"));
            out.write("SELECT 1;".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            out.putNextEntry(new JarEntry("db/users_other/1_not_here.sql"));
            out.write("SELECT 2;".getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
            if (withEmptyFile) {
                out.putNextEntry(new JarEntry("db/users/041_empty.sql"));
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Map<String, String> throughJarFile(Path jar, String folder) throws IOException {
        Map<String, String> files = new LinkedHashMap<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (JarEntry entry : Collections.list(file.entries())) {
                String name = entry.getName();
                if (!entry.isDirectory() && name.startsWith(folder + "/")
                        && name.indexOf('/', folder.length() + 1) < 0) {
                    files.put(name.substring(folder.length() + 1),
                            new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return files;
    }

    @Test
    void readsStoredAndDeflatedEntriesDirectlyInTheFolderAsJarFileDoes() throws IOException {
        Path jar = jar("app.jar");

        Map<String, byte[]> read = JarFolder.read(jar, "db/users");

        assertThat(read).isNotNull().hasSize(41);
        Map<String, String> texts = new LinkedHashMap<>();
        read.forEach((name, bytes) -> texts.put(name, new String(bytes, StandardCharsets.UTF_8)));
        assertThat(texts).isEqualTo(throughJarFile(jar, "db/users"));
        assertThat(JarFolder.read(jar, "db/none")).isEmpty();
    }

    @Test
    void entryThatFailsItsCrcIsLeftToTheGeneralReader() throws IOException {
        Path jar = jar("damaged.jar", false);
        byte[] bytes = Files.readAllBytes(jar);
        // Change a byte inside the content of a stored entry (003_t.sql): its CRC-32 no longer matches.
        byte[] marker = "CREATE TABLE {{tables.t_3}}".getBytes(StandardCharsets.UTF_8);
        int at = indexOf(bytes, marker);
        assertThat(at).isPositive();
        bytes[at] = 'X';
        Files.write(jar, bytes);

        assertThat(JarFolder.read(jar, "db/users")).isNull();
        // JarFile does not check a stored entry's CRC: the files are what it reads, as before this reader.
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            assertThat(MigrationFiles.fromClasspath("users", "db/users", loader).get(2).text())
                    .startsWith("-- Zoë's migration 3\nXREATE TABLE").isEqualTo(throughJarFile(jar, "db/users")
                            .get("003_t.sql"));
        }
    }

    @Test
    void somethingThatIsNotAJarIsLeftToTheGeneralReader() throws IOException {
        Path notAJar = Files.writeString(dir.resolve("notes.jar"), "just text, no zip structure at all");

        assertThat(JarFolder.read(notAJar, "db/users")).isNull();
    }

    @Test
    void classpathFolderInAJarOnDiskResolvesItsFilesAndNamesTheOneAtFault() throws IOException {
        Path jar = jar("library.jar", false);
        Map<String, String> texts = throughJarFile(jar, "db/users");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<MigrationFile> files = MigrationFiles.fromClasspath("users", "db/users", loader);

            assertThat(files).hasSize(40);
            assertThat(files).extracting(MigrationFile::filename).startsWith("001_t.sql", "002_t.sql");
            assertThat(files.get(39).text()).isEqualTo(texts.get("040_t.sql"));
            assertThat(files.get(39).checksum()).isEqualTo(MigrationFile.checksumOf(texts.get("040_t.sql")));
        }
        Path withEmpty = jar("empty.jar", true);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {withEmpty.toUri().toURL()}, null)) {
            assertThatThrownBy(() -> MigrationFiles.fromClasspath("users", "db/users", loader))
                    .hasMessageContaining("users - migration 041_empty.sql (" + withEmpty
                            + "!/db/users/041_empty.sql) is empty");
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            boolean match = true;
            for (int j = 0; j < needle.length && match; j++) {
                match = haystack[i + j] == needle[j];
            }
            if (match) {
                return i;
            }
        }
        return -1;
    }
}
