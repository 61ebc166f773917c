/**
 * The CDI layer over {@code io.pgdbm.core}: finds the application's {@link io.pgdbm.DatabaseModule} classes, gives
 * each module its {@link io.pgdbm.ModuleDatabase} bean (qualified {@link io.pgdbm.Module}), opens or borrows each
 * datasource as MicroProfile Config says, and migrates every module when the container starts.
 *
 * <p>{@link io.pgdbm.extension.PgdbmExtension} serves CDI Full containers (Weld: Weld SE, Payara, Open Liberty,
 * Helidon), {@link io.pgdbm.extension.PgdbmBuildCompatibleExtension} CDI Lite ones (Quarkus); one jar holds both,
 * and the Lite one stays off where the portable one runs. {@link io.pgdbm.extension.DatabaseModules} is the one bean
 * applications may inject besides the modules: it lists them, reports what start-up migrated, and reads the recent
 * slow statements and the pools' state. The other public types are public because a container instantiates them
 * (synthetic bean creators, health checks); they are not API.
 */
package io.pgdbm.extension;
