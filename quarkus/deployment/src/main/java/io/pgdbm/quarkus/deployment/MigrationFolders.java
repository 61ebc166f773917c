package io.pgdbm.quarkus.deployment;

import io.pgdbm.DatabaseModule;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.DotName;
import org.jboss.jandex.IndexView;

/** The modules' migrations folders, and which resource paths are migrations in one of them. */
final class MigrationFolders {

    static final DotName DATABASE_MODULE = DotName.createSimple(DatabaseModule.class.getName());

    private MigrationFolders() {
    }

    /**
     * The migrations folders of the {@code @DatabaseModule} classes in {@code index}, as classpath paths without
     * leading or trailing slashes ({@code db/users}), each once; modules without migrations have none.
     */
    static Set<String> declaredIn(IndexView index) {
        Set<String> folders = new TreeSet<>();
        for (AnnotationInstance annotation : index.getAnnotations(DATABASE_MODULE)) {
            if (annotation.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            AnnotationValue migrations = annotation.value("migrations");
            String folder = migrations == null ? "" : trimSlashes(migrations.asString());
            if (!folder.isEmpty()) {
                folders.add(folder);
            }
        }
        return folders;
    }

    /**
     * Matches what pgdbm reads as a migration of {@code folder}: a {@code *.sql} file directly in it, not hidden, given
     * as dev mode gives it (the path relative to a resources directory, with {@code /}: {@code db/users/002_x.sql}).
     * Files that do not exist yet match too: dev mode asks about every file added to a resources directory.
     */
    static Predicate<String> migrationIn(String folder) {
        String prefix = folder + "/";
        return path -> {
            if (!path.startsWith(prefix)) {
                return false;
            }
            String name = path.substring(prefix.length());
            return name.endsWith(".sql") && !name.startsWith(".") && name.indexOf('/') < 0;
        };
    }

    /** The folder as pgdbm-extension reads it ({@code ModuleDeclaration}): surrounding blanks and slashes removed. */
    private static String trimSlashes(String folder) {
        return folder.strip().replaceAll("^/+|/+$", "");
    }
}
