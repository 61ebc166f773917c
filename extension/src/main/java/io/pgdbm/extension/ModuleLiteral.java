package io.pgdbm.extension;

import io.pgdbm.Module;
import jakarta.enterprise.util.AnnotationLiteral;

/** {@code @Module("name")} as a value, for programmatic lookup: {@code instance.select(ModuleLiteral.of("users"))}. */
public final class ModuleLiteral extends AnnotationLiteral<Module> implements Module {

    private static final long serialVersionUID = 1L;

    private final String value;

    private ModuleLiteral(String value) {
        this.value = value;
    }

    public static ModuleLiteral of(String name) {
        return new ModuleLiteral(name);
    }

    @Override
    public String value() {
        return value;
    }
}
