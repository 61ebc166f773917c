package io.pgdbm.core.migration;

import io.pgdbm.MigrationException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Migrates a set of modules: each after the modules it {@linkplain ModuleMigrations#dependsOn() depends on}, each
 * under its own lock, so deployers of different modules never wait for each other.
 */
public final class Migrations {

    private Migrations() {
    }

    /**
     * The modules in an order where each comes after every module it depends on; modules that do not depend on each
     * other keep the order given.
     *
     * @throws MigrationException when two modules share a name, a module depends on a module not in the set, or
     *     dependencies form a cycle (the message names the modules)
     */
    public static List<ModuleMigrations> inDependencyOrder(Collection<ModuleMigrations> modules) {
        Map<String, ModuleMigrations> byName = new LinkedHashMap<>();
        for (ModuleMigrations module : modules) {
            if (byName.putIfAbsent(module.name(), module) != null) {
                throw new MigrationException(module.name(), null, "Module " + module.name()
                        + " is given twice; give each module once");
            }
        }
        Map<String, List<String>> dependsOn = new LinkedHashMap<>();
        byName.forEach((name, module) -> dependsOn.put(name, module.dependsOn()));
        return dependencyOrder(dependsOn).stream().map(byName::get).toList();
    }

    /**
     * Module names in an order where each comes after every module it depends on; modules that do not depend on each
     * other keep the map's order.
     *
     * @param dependsOn each module's name and the names of the modules it depends on
     * @throws MigrationException when a module depends on a module not in the map, or dependencies form a cycle
     *     (the message names the modules)
     */
    public static List<String> dependencyOrder(Map<String, List<String>> dependsOn) {
        for (Map.Entry<String, List<String>> module : dependsOn.entrySet()) {
            for (String dependency : module.getValue()) {
                if (!dependsOn.containsKey(dependency)) {
                    throw new MigrationException(module.getKey(), null, "Module " + module.getKey() + " depends on "
                            + dependency + ", which is not a module here (modules: " + dependsOn.keySet()
                            + "); add module " + dependency + " or remove it from dependsOn of " + module.getKey());
                }
            }
        }
        List<String> ordered = new ArrayList<>(dependsOn.size());
        Set<String> placed = new LinkedHashSet<>();
        while (ordered.size() < dependsOn.size()) {
            String next = null;
            for (Map.Entry<String, List<String>> candidate : dependsOn.entrySet()) {
                if (!placed.contains(candidate.getKey()) && placed.containsAll(candidate.getValue())) {
                    next = candidate.getKey();
                    break;
                }
            }
            if (next == null) {
                List<String> cycle = findCycle(dependsOn, placed);
                throw new MigrationException(cycle.get(0), null, "Modules depend on each other in a cycle: "
                        + String.join(" -> ", cycle) + " (each depends on the next); remove one of these dependsOn "
                        + "entries");
            }
            ordered.add(next);
            placed.add(next);
        }
        return ordered;
    }

    /**
     * Applies every module's pending migrations, in {@linkplain #inDependencyOrder dependency order}. Stops at the
     * first module that fails: its earlier files and the modules before it stay applied, the modules after it are not
     * run.
     *
     * @return one result per module, in the order they ran
     * @throws MigrationException naming the module (and file) that failed, or the ordering problem
     */
    public static List<MigrationResult> migrateAll(Collection<ModuleMigrations> modules, MigrationOptions options) {
        List<MigrationResult> results = new ArrayList<>();
        for (ModuleMigrations module : inDependencyOrder(modules)) {
            results.add(module.migrator(options).migrate());
        }
        return results;
    }

    /** A path through the unplaced modules that comes back to where it started, as {@code a, b, a}. */
    private static List<String> findCycle(Map<String, List<String>> dependsOn, Set<String> placed) {
        String start = null;
        for (String name : dependsOn.keySet()) {
            if (!placed.contains(name)) {
                start = name;
                break;
            }
        }
        // Every unplaced module waits on an unplaced dependency, so following them must revisit a module.
        List<String> path = new ArrayList<>();
        String current = start;
        while (!path.contains(current)) {
            path.add(current);
            String following = null;
            for (String dependency : dependsOn.get(current)) {
                if (!placed.contains(dependency)) {
                    following = dependency;
                    break;
                }
            }
            current = following;
        }
        List<String> cycle = new ArrayList<>(path.subList(path.indexOf(current), path.size()));
        cycle.add(current);
        return cycle;
    }
}
