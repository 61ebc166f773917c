package io.pgdbm.core.migration;

import java.util.List;

/**
 * Where one module's files stand, and what a run would refuse ({@link Migrator#validateWithResult()}).
 *
 * @param module the module
 * @param statuses every file's status, in version order
 * @param problems each problem a run would refuse, one line each with what to do; empty when a run would go ahead
 */
public record ValidationResult(String module, List<MigrationStatus> statuses, List<String> problems) {

    public ValidationResult {
        statuses = List.copyOf(statuses);
        problems = List.copyOf(problems);
    }

    /** True when a run would go ahead. */
    public boolean isValid() {
        return problems.isEmpty();
    }
}
