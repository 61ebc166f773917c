package io.pgdbm.cli;

import io.pgdbm.ConfigurationException;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.migration.Migrations;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command that talks to a database shares: where it is, and which modules. */
abstract class DatabaseCommand implements Callable<Integer> {

    Map<String, String> environment = System.getenv();

    @Spec
    CommandSpec spec;

    @Option(names = "--url", description = "JDBC URL (or postgresql://user@host/db); else PGDBM_DATASOURCE_URL or "
            + "pgdbm.datasource.url in the properties file")
    String url;

    @Option(names = "--username", description = "user name (else PGDBM_DATASOURCE_USERNAME or the file)")
    String username;

    @Option(names = "--password", description = "password (better: PGDBM_DATASOURCE_PASSWORD); never printed")
    String password;

    @Option(names = "--config", description = "properties file with pgdbm.* keys (default: ./pgdbm.properties)")
    Path configFile;

    /** The settings: this command's flags, else those given before the command name, else environment and file. */
    CliConfig config() {
        PgdbmCli root = spec.root().userObject() instanceof PgdbmCli cli ? cli : null;
        Map<String, String> flags = new HashMap<>();
        flags.put("pgdbm.datasource.url", url != null ? url : root == null ? null : root.url);
        flags.put("pgdbm.datasource.username", username != null ? username : root == null ? null : root.username);
        flags.put("pgdbm.datasource.password", password != null ? password : root == null ? null : root.password);
        Path file = configFile != null ? configFile : root == null ? null : root.configFile;
        return CliConfig.load(file, flags, environment);
    }

    Pgdbm open() {
        return Pgdbm.create(config().database());
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Options that pick modules: one by flags, or every module of the properties file. */
    static final class ModuleOptions {

        @Option(names = "--module", description = "the module (default: every module of the properties file)")
        String module;

        @Option(names = "--schema", description = "its schema (default: the module's name)")
        String schema;

        @Option(names = "--path", description = "its migrations folder")
        Path path;

        /** The modules to work on, each after the modules it depends on. */
        List<ModuleSpec> select(CliConfig config) {
            List<ModuleSpec> listed = config.modules();
            if (module == null && path == null) {
                if (listed.isEmpty()) {
                    throw new ConfigurationException("--module", "No module given: pass --module and --path, or list "
                            + "modules in pgdbm.properties (pgdbm.module.\"<name>\".migrations=<folder>)");
                }
                Map<String, ModuleSpec> byName = new LinkedHashMap<>();
                Map<String, List<String>> dependsOn = new LinkedHashMap<>();
                listed.forEach(spec -> {
                    byName.put(spec.name(), spec);
                    dependsOn.put(spec.name(), spec.dependsOn());
                });
                return Migrations.dependencyOrder(dependsOn).stream().map(byName::get).toList();
            }
            ModuleSpec fromFile = listed.stream().filter(spec -> spec.name().equals(module)).findFirst()
                    .orElse(null);
            Path folder = path != null ? path : fromFile != null ? fromFile.migrations() : null;
            if (folder == null) {
                throw new ConfigurationException("--path", "Module " + module + " has no migrations folder: pass "
                        + "--path, or set pgdbm.module.\"" + module + "\".migrations in pgdbm.properties");
            }
            String name = module != null ? module : folder.toAbsolutePath().normalize().getFileName().toString();
            String effectiveSchema = schema != null ? schema : fromFile != null ? fromFile.schema() : name;
            return List.of(new ModuleSpec(name, effectiveSchema, folder, List.of()));
        }
    }
}
