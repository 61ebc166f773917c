package io.pgdbm.core.internal;

import io.pgdbm.core.Pgdbm;
import io.pgdbm.core.internal.engine.Engine;
import java.util.function.Function;

/**
 * Lets pgdbm's own packages (migrations) reach a {@link Pgdbm}'s engine without making it public API. Set once by
 * {@code Pgdbm}'s class initialisation. Internal.
 */
public final class EngineAccess {

    private static volatile Function<Pgdbm, Engine> engines;

    private EngineAccess() {
    }

    public static void install(Function<Pgdbm, Engine> access) {
        engines = access;
    }

    public static Engine engine(Pgdbm pgdbm) {
        Function<Pgdbm, Engine> access = engines;
        if (access == null) {
            // Pgdbm's class initialisation installs the access; an instance exists, so it has run.
            throw new IllegalStateException("Pgdbm is not initialised");
        }
        return access.apply(pgdbm);
    }
}
