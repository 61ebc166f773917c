package io.pgdbm.core.migration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Lists the files directly in one folder that a class loader found, whatever the server's URL for it:
 *
 * <ul>
 *   <li>a directory: {@code file:} (exploded applications, IDEs, Quarkus dev mode);</li>
 *   <li>a folder in an archive on disk, as any server writes it: {@code <scheme>:file:<archive>!/<folder>}, with
 *       archives nested to any depth ({@code ...app.war!/WEB-INF/lib/orders.jar!/db/orders}). The scheme does not
 *       matter: {@code jar:} (the JDK, Payara, Quarkus), {@code wsjar:} (Open Liberty), {@code zip:} and
 *       {@code code-source:} (WebLogic) are all read from the archive file itself;</li>
 *   <li>JBoss VFS ({@code vfs:}, WildFly), through its {@code VirtualFile}, by reflection;</li>
 *   <li>any other URL whose connection is a {@link JarURLConnection} (Spring Boot's nested jars).</li>
 * </ul>
 *
 * Anything else is refused with the URL in the message.
 */
final class ClasspathFolder {

    /** Receives each file found: its name in the folder, where it is (for messages) and its content. */
    interface Sink {
        void add(String filename, String location, Content content);
    }

    /** A file's bytes, read when needed; a failure is reported with the file's name. */
    @FunctionalInterface
    interface Content {
        byte[] read() throws IOException;
    }

    private ClasspathFolder() {
    }

    /**
     * Lists {@code folder} (a folder such as {@code db/users}, as the class loader was asked for it) at {@code url}.
     *
     * @return false when no reader here understands the URL
     */
    static boolean list(URL url, String folder, Sink sink) throws IOException {
        String protocol = url.getProtocol();
        if (protocol.equals("file")) {
            MigrationFiles.listDirectory(fileOf(url.toString()), sink);
            return true;
        }
        if (protocol.startsWith("vfs")) {
            return listVirtualFile(url, sink);
        }
        if (listArchiveOnDisk(url, sink)) {
            return true;
        }
        URLConnection connection = url.openConnection();
        if (connection instanceof JarURLConnection jar) {
            listJarConnection(jar, folder, sink);
            return true;
        }
        return false;
    }

    /** {@code <scheme>:file:<archive>!/<entry>[!/<entry>...]} where the archive is a file on disk. */
    private static boolean listArchiveOnDisk(URL url, Sink sink) throws IOException {
        String text = url.toString();
        int colon = text.indexOf(':');
        String rest = text.substring(colon + 1);
        if (!rest.startsWith("file:") || !rest.contains("!/")) {
            return false;
        }
        List<String> parts = new ArrayList<>(List.of(rest.split("!/", -1)));
        Path archive;
        try {
            archive = fileOf(parts.remove(0));
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!Files.isRegularFile(archive)) {
            return false;
        }
        String folder = trimSlashes(parts.remove(parts.size() - 1));
        List<String> nested = parts.stream().map(ClasspathFolder::trimSlashes).toList();
        if (nested.isEmpty()) {
            Map<String, byte[]> read = JarFolder.read(archive, folder);
            if (read != null) {
                // The fast path: the plain case, read straight from the zip structure.
                List<String> names = new ArrayList<>(read.keySet());
                names.sort(null);
                for (String name : names) {
                    byte[] bytes = read.get(name);
                    sink.add(name, archive + "!/" + folder + "/" + name, () -> bytes);
                }
                return true;
            }
        }
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            if (nested.isEmpty()) {
                listZip(zip, folder, archive.toString(), sink);
                return true;
            }
            ZipEntry first = zip.getEntry(nested.get(0));
            if (first == null) {
                throw new IOException(archive + " has no entry " + nested.get(0));
            }
            try (InputStream in = zip.getInputStream(first)) {
                listNested(in, nested.subList(1, nested.size()), folder, archive + "!/" + nested.get(0), sink);
            }
        }
        return true;
    }

    private static void listZip(ZipFile zip, String folder, String where, Sink sink) throws IOException {
        String prefix = folder + "/";
        List<? extends ZipEntry> entries = Collections.list(zip.entries());
        entries.sort(Comparator.comparing(ZipEntry::getName));
        for (ZipEntry entry : entries) {
            String name = entry.getName();
            if (isDirectlyIn(entry, prefix)) {
                byte[] bytes;
                try (InputStream in = zip.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                sink.add(name.substring(prefix.length()), where + "!/" + name, () -> bytes);
            }
        }
    }

    /** Walks archives inside archives as streams: {@code archive} is at {@code where}, and holds {@code nested}. */
    private static void listNested(InputStream archive, List<String> nested, String folder, String where, Sink sink)
            throws IOException {
        ZipInputStream zip = new ZipInputStream(archive);
        String prefix = folder + "/";
        List<ZipEntry> found = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
            if (!nested.isEmpty()) {
                if (trimSlashes(entry.getName()).equals(nested.get(0))) {
                    byte[] inner = zip.readAllBytes();
                    listNested(new ByteArrayInputStream(inner), nested.subList(1, nested.size()), folder,
                            where + "!/" + nested.get(0), sink);
                    return;
                }
            } else if (isDirectlyIn(entry, prefix)) {
                found.add(entry);
                contents.add(zip.readAllBytes());
            }
        }
        if (!nested.isEmpty()) {
            throw new IOException(where + " has no entry " + nested.get(0));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.comparing(i -> found.get(i).getName()));
        for (int i : order) {
            String name = found.get(i).getName();
            byte[] bytes = contents.get(i);
            sink.add(name.substring(prefix.length()), where + "!/" + name, () -> bytes);
        }
    }

    private static boolean isDirectlyIn(ZipEntry entry, String prefix) {
        String name = entry.getName();
        return !entry.isDirectory() && name.startsWith(prefix) && name.length() > prefix.length()
                && name.indexOf('/', prefix.length()) < 0;
    }

    /** Any other jar connection: its jar file, and the folder it names (or the folder asked for). */
    private static void listJarConnection(JarURLConnection connection, String folder, Sink sink) throws IOException {
        connection.setUseCaches(false);
        String entry = connection.getEntryName();
        try (ZipFile jar = connection.getJarFile()) {
            listZip(jar, entry == null ? folder : trimSlashes(entry), jar.getName(), sink);
        }
    }

    /**
     * JBoss VFS: the connection's content is an {@code org.jboss.vfs.VirtualFile}; its children are the folder's
     * files. Read by reflection, so pgdbm does not depend on JBoss.
     */
    private static boolean listVirtualFile(URL url, Sink sink) throws IOException {
        Object folder = url.openConnection().getContent();
        try {
            Class<?> type = folder.getClass();
            if (!type.getName().equals("org.jboss.vfs.VirtualFile")) {
                return false;
            }
            Method children = type.getMethod("getChildren");
            Method isFile = type.getMethod("isFile");
            Method name = type.getMethod("getName");
            Method pathName = type.getMethod("getPathName");
            Method openStream = type.getMethod("openStream");
            List<?> files = new ArrayList<>((List<?>) children.invoke(folder));
            files.sort(Comparator.comparing(file -> {
                try {
                    return (String) name.invoke(file);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }));
            for (Object file : files) {
                if (!(Boolean) isFile.invoke(file)) {
                    continue;
                }
                byte[] bytes;
                try (InputStream in = (InputStream) openStream.invoke(file)) {
                    bytes = in.readAllBytes();
                }
                sink.add((String) name.invoke(file), (String) pathName.invoke(file), () -> bytes);
            }
            return true;
        } catch (ReflectiveOperationException | IllegalStateException | ClassCastException e) {
            throw new IOException("cannot read JBoss VFS folder " + url + ": " + e, e);
        }
    }

    /** A {@code file:} URL's path, whether the class loader encoded it ({@code %20}) or not. */
    private static Path fileOf(String fileUrl) {
        try {
            return Path.of(new URI(fileUrl));
        } catch (URISyntaxException | IllegalArgumentException e) {
            String path = fileUrl.substring("file:".length());
            return Path.of(URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
    }

    private static String trimSlashes(String path) {
        return path.replaceAll("^/+|/+$", "");
    }
}
