package io.pgdbm.cli;

import io.pgdbm.ConfigurationException;
import io.pgdbm.MigrationException;
import io.pgdbm.core.migration.Migrations;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** Options that pick modules: one by flags, or every module of the properties file. */
final class ModuleOptions {

    @Option(names = "--module", description = "the module (default: every module of the properties file)")
    String module;

    @Option(names = "--schema", description = "its schema (default: the module's name)")
    String schema;

    @Option(names = "--path", description = "its migrations folder")
    Path path;

    /**
     * The modules to work on, each after the modules it depends on.
     *
     * @throws ConfigurationException when no module is given or listed, or the listed ones depend on each other in
     *     a cycle
     */
    List<ModuleSpec> select(CliConfig config) {
        if (module != null || path != null) {
            String name = module != null ? module : path.toAbsolutePath().normalize().getFileName().toString();
            return List.of(config.module(name, path, schema));
        }
        if (schema != null) {
            throw new ConfigurationException("--schema", "--schema names the schema of one module; pass --module "
                    + "(or --path) with it, or set pgdbm.module.\"<name>\".schema in the properties file");
        }
        List<ModuleSpec> listed = config.modules();
        if (listed.isEmpty()) {
            throw new ConfigurationException("--module", "No module given: pass --module and --path, or list modules "
                    + "in pgdbm.properties (pgdbm.module.\"<name>\".migrations=<folder>)");
        }
        Map<String, ModuleSpec> byName = new LinkedHashMap<>();
        Map<String, List<String>> dependsOn = new LinkedHashMap<>();
        listed.forEach(spec -> {
            byName.put(spec.name(), spec);
            dependsOn.put(spec.name(), spec.dependsOn());
        });
        try {
            return Migrations.dependencyOrder(dependsOn).stream().map(byName::get).toList();
        } catch (MigrationException e) {
            // Unknown modules were caught when the file was read; what is left is a cycle, which the file must break.
            throw new ConfigurationException(CliConfig.moduleKey(e.module(), "depends-on"), e.getMessage()
                    + " (set by the pgdbm.module.\"<name>\".depends-on keys of the properties file)");
        }
    }
}
