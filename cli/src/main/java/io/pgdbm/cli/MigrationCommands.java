package io.pgdbm.cli;

import io.pgdbm.MigrationException;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.migration.MigrationChange;
import io.pgdbm.core.migration.MigrationFile;
import io.pgdbm.core.migration.MigrationFiles;
import io.pgdbm.core.migration.MigrationOptions;
import io.pgdbm.core.migration.MigrationStatus;
import io.pgdbm.core.migration.Migrator;
import io.pgdbm.core.migration.RepairPolicy;
import io.pgdbm.core.migration.RepairResult;
import io.pgdbm.core.migration.ValidationResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * status, validate and repair ({@link MigrateCommand} is apart): one module by flags, or every module of the file.
 * validate checks and reports every module, whatever it finds in one of them.
 */
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

        static Map<String, Object> toJson(MigrationStatus status) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("file", status.filename());
            json.put("version", status.version());
            json.put("state", status.state().name().toLowerCase(Locale.ROOT));
            status.change().ifPresent(change -> json.put("change", change.name().toLowerCase(Locale.ROOT)));
            if (status.applied() != null) {
                json.put("appliedAt", String.valueOf(status.applied().appliedAt()));
                json.put("appliedBy", status.applied().appliedBy());
                json.put("executionTimeMs", status.applied().executionTimeMs());
            }
            return json;
        }
    }

    @Command(name = "validate", description = {"Check files against the history; exit 1 on a problem.",
        "Checks every module and reports every problem: a file changed after it was applied, an applied file missing, "
            + "a pending file older than the newest applied one or without a statement. Changes nothing."})
    static final class Validate extends ModulesCommand {

        @Option(names = "--json", description = "print one JSON object per module: its files' statuses and problems")
        boolean json;

        @Override
        public Integer call() {
            CliConfig config = config();
            List<ModuleSpec> selected = modules.select(config);
            PrintWriter out = out();
            List<Object> all = new ArrayList<>();
            int invalid = 0;
            try (Pgdbm pgdbm = Pgdbm.create(config.database())) {
                for (ModuleSpec module : selected) {
                    ValidationResult result;
                    try {
                        result = migrator(pgdbm, module, config).validateWithResult();
                    } catch (MigrationException e) {
                        // The folder or a file cannot be read: that module's problem; the others are still checked.
                        result = new ValidationResult(module.name(), List.of(), List.of(e.getMessage()));
                    }
                    invalid += result.isValid() ? 0 : 1;
                    if (json) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("module", module.name());
                        entry.put("schema", module.schema());
                        entry.put("valid", result.isValid());
                        entry.put("migrations", result.statuses().stream().map(Status::toJson).toList());
                        entry.put("problems", result.problems());
                        all.add(entry);
                    } else if (result.isValid()) {
                        long pending = result.statuses().stream().filter(s -> s.applied() == null).count();
                        out.println(module.name() + ": valid, " + (result.statuses().size() - pending) + " applied, "
                                + pending + " pending");
                    } else {
                        int count = result.problems().size();
                        out.println(module.name() + ": " + count + (count == 1 ? " problem" : " problems") + ":");
                        result.problems().forEach(problem -> out.println("  - " + problem));
                    }
                }
            }
            if (json) {
                out.println(Json.write(all));
            }
            out.flush();
            if (invalid > 0) {
                throw new CommandFailedException(invalid + " of " + selected.size() + (selected.size() == 1
                        ? " module has" : " modules have") + " migration problems (listed on stdout); nothing was "
                        + "changed");
            }
            return 0;
        }
    }

    @Command(name = "repair", description = {"Record the current checksum of changed files.",
        "Lists them first, saying whether their statements changed (the new content is never applied), and asks "
            + "(--yes without a terminal). Runs under each module's migration lock."})
    static final class Repair extends ModulesCommand {

        @Option(names = "--yes", description = "do not ask (needed without a terminal)")
        boolean yes;

        @Override
        public Integer call() {
            CliConfig config = config();
            List<ModuleSpec> selected = modules.select(config);
            PrintWriter out = out();
            try (Pgdbm pgdbm = Pgdbm.create(config.database())) {
                Map<ModuleSpec, Migrator> migrators = new LinkedHashMap<>();
                List<String> listed = new ArrayList<>();
                int changedStatements = 0;
                for (ModuleSpec module : selected) {
                    Migrator migrator = migrator(pgdbm, module, config);
                    for (MigrationStatus status : migrator.status()) {
                        MigrationChange change = status.change().orElse(null);
                        if (change == null) {
                            continue;
                        }
                        migrators.put(module, migrator);
                        changedStatements += change == MigrationChange.COMMENTS_OR_WHITESPACE ? 0 : 1;
                        listed.add(module.name() + "/" + status.filename() + ": " + change.description()
                                + (change == MigrationChange.COMMENTS_OR_WHITESPACE ? ""
                                        : "; the database keeps what the file did when it was applied"));
                    }
                }
                if (listed.isEmpty()) {
                    out.println("nothing to repair: no applied file has changed");
                    return 0;
                }
                out.println("Repair records the current checksum of " + (listed.size() == 1 ? "this file. Its"
                        : "these " + listed.size() + " files. Their") + " new content will NOT be applied:");
                listed.forEach(line -> out.println("  " + line));
                if (changedStatements > 0) {
                    out.println("To change the schema, revert " + (changedStatements == 1 ? "that file" : "those files")
                            + " and write a new migration (pgdbm new) instead of repairing.");
                }
                out.flush();
                confirm(listed.size());
                for (Map.Entry<ModuleSpec, Migrator> entry : migrators.entrySet()) {
                    RepairResult result = entry.getValue().repair(RepairPolicy.ANY_CHANGE);
                    out.println(entry.getKey().name() + ": " + (result.recorded().isEmpty() ? "nothing to repair"
                            : "recorded the current checksum of " + String.join(", ", result.recorded().stream()
                                    .map(RepairResult.ChangedFile::filename).toList())));
                }
            }
            return 0;
        }

        private void confirm(int files) {
            if (yes) {
                return;
            }
            if (!terminal.isInteractive()) {
                throw new ParameterException(spec.commandLine(), "Nothing was changed: there is no terminal to confirm "
                        + "on; run again with --yes to record the current checksum of the " + (files == 1 ? "file"
                                : files + " files") + " listed above");
            }
            String answer = terminal.readLine("Record the current checksum of " + (files == 1 ? "this file"
                    : "these " + files + " files") + "? Type yes to confirm: ");
            if (answer == null || !answer.strip().equalsIgnoreCase("yes")) {
                throw new CommandFailedException("Nothing was changed: the answer was not yes");
            }
        }
    }
}
