package io.pgdbm.cli;

import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.migration.MigrationFile;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.MigrationStatus;
import io.pgdbm.core.migration.Migrator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** status, validate and repair ({@link MigrateCommand} is apart): one module by flags, or every module of the file. */
final class MigrationCommands {

    private MigrationCommands() {
    }

    /** The shared part: the modules and a migrator for each. */
    abstract static class ModulesCommand extends DatabaseCommand {

        @Mixin
        ModuleOptions modules;

        Migrator migrator(Pgdbm pgdbm, ModuleSpec module, CliConfig config) {
            List<MigrationFile> files = MigrationFiles.fromDirectory(module.name(), module.migrations());
            return new Migrator(pgdbm, pgdbm.module(module.name(), module.schema()), files,
                    MigrationOptions.fromProperties(config.migrationSettings()));
        }
    }

    @Command(name = "status", description = {"Show each migration's state; --json for machines.",
        "States: applied, pending, changed, missing, out of order."})
    static final class Status extends ModulesCommand {

        @Option(names = "--json", description = "print the statuses as JSON")
        boolean json;

        @Override
        public Integer call() {
            CliConfig config = config();
            List<ModuleSpec> selected = modules.select(config);
            PrintWriter out = out();
            List<Object> all = new ArrayList<>();
            try (Pgdbm pgdbm = Pgdbm.create(config.database())) {
                for (ModuleSpec module : selected) {
                    List<MigrationStatus> statuses = migrator(pgdbm, module, config).status();
                    if (json) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("module", module.name());
                        entry.put("schema", module.schema());
                        entry.put("migrations", statuses.stream().map(Status::toJson).toList());
                        all.add(entry);
                        continue;
                    }
                    out.println(module.name() + " (schema " + module.schema() + ")");
                    out.printf("  %-40s %-13s %-20s %-16s %s%n", "FILE", "STATE", "APPLIED AT", "BY", "MS");
                    for (MigrationStatus status : statuses) {
                        var applied = status.applied();
                        out.printf("  %-40s %-13s %-20s %-16s %s%n", status.filename(),
                                status.state().name().toLowerCase(Locale.ROOT).replace('_', ' '),
                                applied == null || applied.appliedAt() == null ? ""
                                        : applied.appliedAt().withNano(0).toString().replace('T', ' '),
                                applied == null || applied.appliedBy() == null ? "" : applied.appliedBy(),
                                applied == null || applied.executionTimeMs() == null ? ""
                                        : applied.executionTimeMs());
                    }
                }
            }
            if (json) {
                out.println(Json.write(all));
            }
            return 0;
        }

        private static Map<String, Object> toJson(MigrationStatus status) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("file", status.filename());
            json.put("version", status.version());
            json.put("state", status.state().name().toLowerCase(Locale.ROOT));
            if (status.applied() != null) {
                json.put("appliedAt", String.valueOf(status.applied().appliedAt()));
                json.put("appliedBy", status.applied().appliedBy());
                json.put("executionTimeMs", status.applied().executionTimeMs());
            }
            return json;
        }
    }

    @Command(name = "validate", description = {"Check files against the history; exit 1 on a problem.",
        "Problems: a file changed after it was applied, an applied file missing, a pending file older than the "
            + "newest applied one."})
    static final class Validate extends ModulesCommand {

        @Override
        public Integer call() {
            CliConfig config = config();
            try (Pgdbm pgdbm = Pgdbm.create(config.database())) {
                for (ModuleSpec module : modules.select(config)) {
                    List<MigrationStatus> statuses = migrator(pgdbm, module, config).validate();
                    long pending = statuses.stream().filter(s -> s.applied() == null).count();
                    out().println(module.name() + ": valid, " + (statuses.size() - pending) + " applied, " + pending
                            + " pending");
                }
            }
            return 0;
        }
    }

    @Command(name = "repair", description = {"Record the current checksum of changed files.",
        "Runs under the module's migration lock."})
    static final class Repair extends ModulesCommand {

        @Override
        public Integer call() {
            CliConfig config = config();
            try (Pgdbm pgdbm = Pgdbm.create(config.database())) {
                for (ModuleSpec module : modules.select(config)) {
                    List<String> repaired = migrator(pgdbm, module, config).repair();
                    out().println(module.name() + ": " + (repaired.isEmpty() ? "nothing to repair"
                            : "recorded the current checksum of " + String.join(", ", repaired)));
                }
            }
            return 0;
        }
    }
}
