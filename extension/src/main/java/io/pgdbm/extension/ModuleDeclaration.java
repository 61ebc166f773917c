package io.pgdbm.extension;

import io.pgdbm.DatabaseModule;
import java.util.List;

/**
 * One class's {@link DatabaseModule} annotation, as discovery found it.
 *
 * @param declaredBy the annotated class
 * @param name the module name ({@link DatabaseModule#name()}, or the schema when that is empty)
 * @param schema the annotation's schema
 * @param migrations the classpath folder, or empty
 * @param dependsOn the modules it depends on
 * @param datasource the named datasource, or empty for the default one
 */
record ModuleDeclaration(String declaredBy, String name, String schema, String migrations, List<String> dependsOn,
        String datasource) {

    ModuleDeclaration {
        dependsOn = List.copyOf(dependsOn);
    }

    static ModuleDeclaration of(String declaredBy, DatabaseModule annotation) {
        return of(declaredBy, annotation.name(), annotation.schema(), annotation.migrations(),
                List.of(annotation.dependsOn()), annotation.datasource());
    }

    static ModuleDeclaration of(String declaredBy, String name, String schema, String migrations,
            List<String> dependsOn, String datasource) {
        String effectiveName = name == null || name.isEmpty() ? schema : name;
        return new ModuleDeclaration(declaredBy, effectiveName, schema, trimSlashes(migrations), dependsOn,
                datasource == null ? "" : datasource);
    }

    private static String trimSlashes(String folder) {
        String result = folder == null ? "" : folder.strip();
        while (result.startsWith("/")) {
            result = result.substring(1);
        }
        while (result.endsWith("/")) {
            result = result.substring(0, result.length() - 1);
        }
        return result;
    }

    /** The declaration as a message shows it. */
    String describe() {
        return declaredBy + " (schema " + schema + ", migrations " + (migrations.isEmpty() ? "none" : migrations)
                + ", datasource " + (datasource.isEmpty() ? "default" : datasource) + ")";
    }
}
