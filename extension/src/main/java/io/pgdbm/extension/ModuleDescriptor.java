package io.pgdbm.extension;

import java.util.List;

/**
 * One module as the application declares it: every {@link io.pgdbm.DatabaseModule} class of that name, merged and
 * checked. Configuration (a renamed schema, migrations switched off) applies at start-up, not here.
 *
 * @param name the module name
 * @param schema the schema its annotation gives
 * @param migrations its classpath migrations folder, or empty for none
 * @param dependsOn the modules whose migrations go first
 * @param datasource its named datasource, or empty for the default one
 * @param declaredBy the classes that declare it
 */
public record ModuleDescriptor(String name, String schema, String migrations, List<String> dependsOn,
        String datasource, List<String> declaredBy) {

    public ModuleDescriptor {
        dependsOn = List.copyOf(dependsOn);
        declaredBy = List.copyOf(declaredBy);
    }
}
