package io.pgdbm.extension;

import io.pgdbm.MigrationException;
import io.pgdbm.core.Names;
import io.pgdbm.core.migration.Migrations;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Merges and checks the declarations discovery found, the same way for CDI Full and CDI Lite. */
final class ModuleDescriptors {

    /**
     * The outcome: the modules in {@code dependsOn} order when {@code problems} is empty.
     *
     * @param modules the modules, each after the modules it depends on
     * @param problems one fixable message per problem
     */
    record Resolution(List<ModuleDescriptor> modules, List<String> problems) {
    }

    private ModuleDescriptors() {
    }

    static Resolution resolve(List<ModuleDeclaration> declarations) {
        List<String> problems = new ArrayList<>();
        Map<String, List<ModuleDeclaration>> byName = new LinkedHashMap<>();
        List<ModuleDeclaration> sorted = new ArrayList<>(declarations);
        // Discovery order differs between containers and runs; sort so messages and start-up order are stable.
        sorted.sort((a, b) -> a.declaredBy().compareTo(b.declaredBy()));
        for (ModuleDeclaration declaration : sorted) {
            String where = "@DatabaseModule on " + declaration.declaredBy();
            if (!Names.isValid(declaration.schema())) {
                problems.add(where + ": schema '" + declaration.schema() + "' is not allowed: " + Names.explain());
                continue;
            }
            if (!Names.isValid(declaration.name())) {
                problems.add(where + ": name '" + declaration.name() + "' is not allowed: " + Names.explain());
                continue;
            }
            if (!declaration.datasource().isEmpty() && !declaration.datasource().matches("[A-Za-z0-9_.-]{1,63}")) {
                problems.add(where + ": datasource '" + declaration.datasource() + "' is not allowed: use 1 to 63 "
                        + "letters, digits, '_', '-' or '.'");
                continue;
            }
            byName.computeIfAbsent(declaration.name(), name -> new ArrayList<>()).add(declaration);
        }
        Map<String, ModuleDescriptor> modules = new LinkedHashMap<>();
        for (Map.Entry<String, List<ModuleDeclaration>> entry : byName.entrySet()) {
            List<ModuleDeclaration> all = entry.getValue();
            ModuleDeclaration first = all.get(0);
            boolean agree = true;
            for (ModuleDeclaration other : all.subList(1, all.size())) {
                if (!other.schema().equals(first.schema()) || !other.migrations().equals(first.migrations())
                        || !other.datasource().equals(first.datasource())) {
                    problems.add("Module " + entry.getKey() + " is declared differently by " + first.describe()
                            + " and by " + other.describe() + ": every declaration of one module must agree on "
                            + "schema, migrations and datasource; make them agree, or give one a different name");
                    agree = false;
                }
            }
            if (!agree) {
                continue;
            }
            Set<String> dependsOn = new LinkedHashSet<>();
            List<String> declaredBy = new ArrayList<>();
            for (ModuleDeclaration declaration : all) {
                dependsOn.addAll(declaration.dependsOn());
                declaredBy.add(declaration.declaredBy());
            }
            modules.put(entry.getKey(), new ModuleDescriptor(entry.getKey(), first.schema(), first.migrations(),
                    List.copyOf(dependsOn), first.datasource(), declaredBy));
        }
        if (!problems.isEmpty()) {
            return new Resolution(List.of(), problems);
        }
        Map<String, List<String>> dependencies = new LinkedHashMap<>();
        modules.forEach((name, module) -> dependencies.put(name, module.dependsOn()));
        try {
            List<ModuleDescriptor> ordered = Migrations.dependencyOrder(dependencies).stream().map(modules::get)
                    .toList();
            return new Resolution(ordered, List.of());
        } catch (MigrationException e) {
            String declaredBy = modules.get(e.module()).declaredBy().toString();
            return new Resolution(List.of(), List.of(e.getMessage() + " (module " + e.module() + " is declared by "
                    + declaredBy + ")"));
        }
    }
}
