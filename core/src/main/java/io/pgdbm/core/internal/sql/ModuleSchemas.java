package io.pgdbm.core.internal.sql;

/** Resolves {@code {{tables.<module>.<table>}}}: the effective schema of a module, if such a module exists. Internal. */
@FunctionalInterface
public interface ModuleSchemas {

    /** The schema of the module called {@code module}, or {@code null} when there is no such module. */
    String schemaOf(String module);
}
