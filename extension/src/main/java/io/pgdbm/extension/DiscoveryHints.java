package io.pgdbm.extension;

/**
 * What pgdbm says when the container did not discover what the application declares. A class in an archive without
 * {@code META-INF/beans.xml} is invisible to Weld SE, and to any container that does not scan implicit bean archives:
 * its {@code @DatabaseModule} is never seen, and the container's own error (an unsatisfied dependency) names the bean
 * but not the cause.
 */
final class DiscoveryHints {

    private DiscoveryHints() {
    }

    /** The warning when a CDI Full container discovered no {@code @DatabaseModule} class at all. */
    static String noModulesDiscovered() {
        return "pgdbm - no @DatabaseModule class was discovered, so there is no module to migrate or inject. Weld "
                + "SE, and any container that does not scan implicit bean archives, sees classes only in archives "
                + "with a META-INF/beans.xml: add one to the jar or classes folder that holds your @DatabaseModule "
                + "classes (in a Maven project, "
                + "src/main/resources/META-INF/beans.xml, e.g. <beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" "
                + "version=\"4.0\" bean-discovery-mode=\"annotated\"/>)";
    }

    /** The warning when a CDI Lite container (Quarkus) discovered no {@code @DatabaseModule} class at all. */
    static String noModulesDiscoveredLite() {
        return "pgdbm - no @DatabaseModule class was discovered, so there is no module to migrate or inject. The "
                + "container sees the application's own classes and, in dependencies, only bean archives: a "
                + "@DatabaseModule class in a jar needs META-INF/beans.xml in that jar (Quarkus: or a Jandex index)";
    }

    /** Appended to an unknown {@code @Module("name")}: the declaring class may sit where the container cannot see. */
    static String undiscoveredModule(String name) {
        return "If a class does declare module " + name + ", the container did not discover it: most often the jar "
                + "or classes folder that holds it has no META-INF/beans.xml (in a Maven project, add "
                + "src/main/resources/META-INF/beans.xml)";
    }
}
