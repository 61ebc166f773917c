package io.pgdbm.quarkus.deployment;

import io.quarkus.deployment.annotations.BuildProducer;
import io.quarkus.deployment.annotations.BuildStep;
import io.quarkus.deployment.builditem.CombinedIndexBuildItem;
import io.quarkus.deployment.builditem.FeatureBuildItem;
import io.quarkus.deployment.builditem.HotDeploymentWatchedFileBuildItem;
import org.jboss.logging.Logger;

/**
 * pgdbm's build steps. The beans and the start-up migrations are not made here: pgdbm-extension's build compatible
 * extension makes them (ArC runs it whether or not this extension is present), so an application that moves from
 * {@code pgdbm-extension} to {@code pgdbm-quarkus} gets the same beans, once.
 */
class PgdbmProcessor {

    private static final Logger LOG = Logger.getLogger(PgdbmProcessor.class);

    static final String FEATURE = "pgdbm";

    @BuildStep
    FeatureBuildItem feature() {
        return new FeatureBuildItem(FEATURE);
    }

    /**
     * Dev mode restarts the application when a migration file of a module is added, changed or deleted, so that the
     * restart applies it (or stops on it with pgdbm's message). One watch per migrations folder of every
     * {@code @DatabaseModule} in the application's index; a watch by predicate, because a fixed list of file names
     * would miss the files the developer has not written yet.
     */
    @BuildStep
    void watchMigrationFolders(CombinedIndexBuildItem index, BuildProducer<HotDeploymentWatchedFileBuildItem> watched) {
        for (String folder : MigrationFolders.declaredIn(index.getIndex())) {
            LOG.debugf("pgdbm - dev mode restarts when a migration in %s changes", folder);
            watched.produce(HotDeploymentWatchedFileBuildItem.builder()
                    .setLocationPredicate(MigrationFolders.migrationIn(folder))
                    .setRestartNeeded(true)
                    .build());
        }
    }
}
