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
        for (ModuleMigrations module : byName.values()) {
            for (String dependency : module.dependsOn()) {
                if (!byName.containsKey(dependency)) {
                    throw new MigrationException(module.name(), null, "Module " + module.name() + " depends on "
                            + dependency + ", which is not a module here (modules: " + byName.keySet()
                            + "); add module " + dependency + " or remove it from dependsOn of " + module.name());
                }
            }
        }
        List<ModuleMigrations> ordered = new ArrayList<>(byName.size());
        Set<String> placed = new LinkedHashSet<>();
        while (ordered.size() < byName.size()) {
            ModuleMigrations next = null;
            for (ModuleMigrations candidate : byName.values()) {
                if (!placed.contains(candidate.name()) && placed.containsAll(candidate.dependsOn())) {
                    next = candidate;
                    break;
                }
            }
            if (next == null) {
                List<String> cycle = findCycle(byName, placed);
                throw new MigrationException(cycle.get(0), null, "Modules depend on each other in a cycle: "
                        + String.join(" -> ", cycle) + " (each depends on the next); remove one of these dependsOn "
                        + "entries");
            }
            ordered.add(next);
            placed.add(next.name());
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
    private static List<String> findCycle(Map<String, ModuleMigrations> byName, Set<String> placed) {
        String start = null;
        for (String name : byName.keySet()) {
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
            for (String dependency : byName.get(current).dependsOn()) {
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
