package io.pgdbm.extension.jta;

import com.arjuna.ats.arjuna.common.CoreEnvironmentBeanException;
import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Narayana, the transaction manager of Quarkus and WildFly, set up once per JVM before its first transaction, as
 * Quarkus's recorder sets it up: an object store in a temporary folder, a node name of its own, no status manager
 * socket, and Agroal's non-XA connections as the one-phase last resource. Several of these settings are read into
 * static fields when Narayana's classes initialise, so they must come first.
 */
public final class Narayana {

    private static Path objectStore;

    private Narayana() {
    }

    public static synchronized void configure() {
        if (objectStore != null) {
            return;
        }
        try {
            objectStore = Files.createTempDirectory("pgdbm-narayana-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String name : new String[] {null, "communicationStore", "stateStore"}) {
            ObjectStoreEnvironmentBean store = name == null
                    ? BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class)
                    : BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, name);
            store.setObjectStoreDir(objectStore.toString());
        }
        try {
            arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier("pgdbm-tests");
        } catch (CoreEnvironmentBeanException e) {
            throw new IllegalStateException(e);
        }
        arjPropertyManager.getCoordinatorEnvironmentBean().setDefaultTimeout(60);
        arjPropertyManager.getCoordinatorEnvironmentBean().setTransactionStatusManagerEnable(false);
        jtaPropertyManager.getJTAEnvironmentBean()
                .setLastResourceOptimisationInterfaceClassName("io.agroal.narayana.LocalXAResource");
        Runtime.getRuntime().addShutdownHook(new Thread(Narayana::deleteObjectStore, "pgdbm-narayana-cleanup"));
    }

    private static void deleteObjectStore() {
        try (Stream<Path> paths = Files.walk(objectStore)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // A temporary folder: the system cleans it up in the end.
        }
    }
}
