package io.pgdbm.cli;

import io.pgdbm.PgdbmException;
import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.StatementEvent;
import io.pgdbm.core.StatementListener;
import io.pgdbm.core.migration.MigrationResult;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pgdbm migrate}: each module's pending files, one module after another in dependency order. When a module
 * fails the run stops there, and the files and modules before it stay applied; what happened to every module is
 * still reported (for {@code --json}, one JSON array with the failure in it) before the reason goes to stderr and the
 * exit code is 1.
 */
@Command(name = "migrate", description = {"Apply pending migrations, dependencies first.",
    "One module by --module/--path, or every module of the properties file, each after those it depends on; one "
        + "line per applied file, then a summary per module."})
final class MigrateCommand extends MigrationCommands.ModulesCommand {

    @Option(names = "--dry-run", description = "say what would be applied, change nothing")
    boolean dryRun;

    @Option(names = "--json", description = "print one JSON object per module, with its outcome: migrated, "
            + "planned (--dry-run), not migrated, failed or not attempted")
    boolean json;

    /** What happened to one module in this run; rendered as a line of text or as a JSON object. */
    sealed interface Outcome {

        ModuleSpec module();

        /** The outcome's name in JSON. */
        String name();

        /** The line printed after the module's name. */
        String summary();

        /** The fields after module, schema and outcome. */
        void describe(Map<String, Object> json);

        default Map<String, Object> toJson() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("module", module().name());
            json.put("schema", module().schema());
            json.put("outcome", name());
            describe(json);
            return json;
        }
    }

    /** The module's pending files were applied. */
    record Migrated(ModuleSpec module, MigrationResult result) implements Outcome {

        @Override
        public String name() {
            return "migrated";
        }

        @Override
        public String summary() {
            return result.applied().size() + " applied, " + result.skipped().size() + " already applied, "
                    + result.totalMillis() + "ms";
        }

        @Override
        public void describe(Map<String, Object> json) {
            json.put("applied", result.applied().stream().map(file -> applied(file.filename(), file.millis()))
                    .toList());
            json.put("skipped", result.skipped());
            json.put("totalMillis", result.totalMillis());
        }
    }

    /** {@code --dry-run}: the files a run would apply. */
    record Planned(ModuleSpec module, List<String> wouldApply) implements Outcome {

        @Override
        public String name() {
            return "planned";
        }

        @Override
        public String summary() {
            return wouldApply.isEmpty() ? "up to date, nothing to apply"
                    : "would apply " + String.join(", ", wouldApply);
        }

        @Override
        public void describe(Map<String, Object> json) {
            json.put("wouldApply", wouldApply);
        }
    }

    /** {@code pgdbm.module."<name>".migrate} is false. */
    record NotMigrated(ModuleSpec module) implements Outcome {

        @Override
        public String name() {
            return "not migrated";
        }

        @Override
        public String summary() {
            return "not migrated: " + reason();
        }

        @Override
        public void describe(Map<String, Object> json) {
            json.put("reason", reason());
        }

        private String reason() {
            return CliConfig.moduleKey(module.name(), "migrate") + " is false";
        }
    }

    /** The module failed, after applying {@code applied}; the run stopped. */
    record Failed(ModuleSpec module, List<Map<String, Object>> applied, String error) implements Outcome {

        @Override
        public String name() {
            return "failed";
        }

        @Override
        public String summary() {
            return "failed after " + applied.size() + " applied; the reason is on stderr";
        }

        @Override
        public void describe(Map<String, Object> json) {
            json.put("applied", applied);
            json.put("error", error);
        }
    }

    /** An earlier module failed, so this one was not run. */
    record NotAttempted(ModuleSpec module) implements Outcome {

        @Override
        public String name() {
            return "not attempted";
        }

        @Override
        public String summary() {
            return "not attempted, as an earlier module failed";
        }

        @Override
        public void describe(Map<String, Object> json) {
        }
    }

    @Override
    public Integer call() {
        CliConfig config = config();
        List<ModuleSpec> selected = modules.select(config);
        List<Outcome> outcomes = new ArrayList<>();
        try (Pgdbm pgdbm = Pgdbm.create(config.database())) {
            Progress progress = new Progress(json || dryRun ? null : out());
            pgdbm.addListener(progress);
            for (int i = 0; i < selected.size(); i++) {
                ModuleSpec module = selected.get(i);
                try {
                    report(outcomes, run(pgdbm, module, config));
                } catch (PgdbmException e) {
                    report(outcomes, new Failed(module, progress.applied(module.name()), e.getMessage()));
                    for (ModuleSpec later : selected.subList(i + 1, selected.size())) {
                        report(outcomes, new NotAttempted(later));
                    }
                    printJson(outcomes);
                    throw e;
                }
            }
        }
        printJson(outcomes);
        return 0;
    }

    private Outcome run(Pgdbm pgdbm, ModuleSpec module, CliConfig config) {
        if (!module.migrate()) {
            return new NotMigrated(module);
        }
        if (dryRun) {
            return new Planned(module, migrator(pgdbm, module, config).dryRun());
        }
        return new Migrated(module, migrator(pgdbm, module, config).migrate());
    }

    /** Keeps the outcome for {@code --json}, or prints its line at once, as the run goes. */
    private void report(List<Outcome> outcomes, Outcome outcome) {
        outcomes.add(outcome);
        if (!json) {
            out().println(outcome.module().name() + ": " + outcome.summary());
            out().flush();
        }
    }

    private void printJson(List<Outcome> outcomes) {
        if (json) {
            out().println(Json.write(outcomes.stream().map(Outcome::toJson).toList()));
            out().flush();
        }
    }

    private static Map<String, Object> applied(String file, long millis) {
        Map<String, Object> applied = new LinkedHashMap<>();
        applied.put("file", file);
        applied.put("millis", millis);
        return applied;
    }

    /** Hears each applied file: prints it as the run goes (unless {@code out} is null), and keeps it by module. */
    private static final class Progress implements StatementListener {

        private final PrintWriter out;
        private final Map<String, List<Map<String, Object>>> applied = new LinkedHashMap<>();

        Progress(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void statementExecuted(StatementEvent event) {
        }

        @Override
        public void migrationApplied(String datasource, String module, String file, long millis) {
            applied.computeIfAbsent(module, name -> new ArrayList<>()).add(MigrateCommand.applied(file, millis));
            if (out != null) {
                out.println(module + ": applied " + file + " (" + millis + "ms)");
                out.flush();
            }
        }

        List<Map<String, Object>> applied(String module) {
            return List.copyOf(applied.getOrDefault(module, List.of()));
        }
    }
}
