package io.pgdbm.extension;

import io.pgdbm.DatabaseModule;
import jakarta.enterprise.inject.build.compatible.spi.BeanInfo;
import jakarta.enterprise.inject.build.compatible.spi.ClassConfig;
import jakarta.enterprise.inject.build.compatible.spi.Enhancement;
import jakarta.enterprise.inject.build.compatible.spi.Messages;
import jakarta.enterprise.inject.build.compatible.spi.Registration;
import jakarta.enterprise.inject.build.compatible.spi.Synthesis;
import jakarta.enterprise.inject.build.compatible.spi.SyntheticComponents;

/**
 * The build compatible extension without its {@code @SkipIfPortableExtensionPresent}: Weld's translator skips every
 * extension that carries it (Weld runs portable extensions, so it takes the portable one as present), so this is how
 * the CDI Lite code path runs on Weld in tests. The translator reads only declared methods, hence the overrides.
 * Quarkus runs the real class ({@code it/quarkus}).
 */
public class LiteOnWeld extends PgdbmBuildCompatibleExtension {

    @Override
    @Enhancement(types = Object.class, withSubtypes = true, withAnnotations = DatabaseModule.class)
    public void discover(ClassConfig type) {
        super.discover(type);
    }

    @Override
    @Registration(types = Object.class)
    public void collect(BeanInfo bean) {
        super.collect(bean);
    }

    @Override
    @Synthesis
    public void register(SyntheticComponents components, Messages messages) {
        super.register(components, messages);
    }
}
