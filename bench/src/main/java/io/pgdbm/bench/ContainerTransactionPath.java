package io.pgdbm.bench;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.internal.jta.transaction.arjunacore.TransactionSynchronizationRegistryImple;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.narayana.NarayanaTransactionIntegration;
import io.pgdbm.ModuleDatabase;
import io.pgdbm.core.ContainerTransactions;
import io.pgdbm.core.DatabaseConfig;
import io.pgdbm.core.Pgdbm;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What pgdbm costs on the container-transaction path against its local path: the point select of {@link PgdbmVsJdbc}
 * on a container's DataSource (an Agroal pool whose connections enlist in Narayana's JTA transactions, as Quarkus builds
 * it), against hand-written JDBC on the same pool, two ways.
 *
 * <ul>
 *   <li>{@code pointSelectContainerTransaction}: each select in a JTA transaction of its own (begin, select, commit:
 *       a {@code @Transactional} method with one query), pgdbm taking part in it ({@link ContainerTransactions})
 *       against JDBC inside the same kind of transaction.</li>
 *   <li>{@code pointSelectLocalOnAgroal}: no JTA transaction, pgdbm's local path (auto-commit) against JDBC.</li>
 * </ul>
 *
 * <p>The two ratios compare pgdbm's own cost on each path; what the transaction manager costs is on both sides of the
 * first pair.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ContainerTransactionPath implements PairState {

    private BenchServer server;
    private AgroalDataSource pool;
    private TransactionManager manager;
    private ModuleDatabase db;
    private long[] ids;
    private int next;

    @Setup(Level.Trial)
    @Override
    public void startTrial() throws SQLException {
        server = BenchServer.startOrConnect();
        configureNarayana();
        manager = com.arjuna.ats.jta.TransactionManager.transactionManager();
        TransactionSynchronizationRegistry registry = new TransactionSynchronizationRegistryImple();
        pool = AgroalDataSource.from(new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(configuration -> configuration
                        .minSize(2)
                        .initialSize(2)
                        .maxSize(2)
                        .transactionIntegration(new NarayanaTransactionIntegration(manager, registry))
                        .connectionFactoryConfiguration(factory -> factory
                                .connectionProviderClass(org.postgresql.Driver.class)
                                .jdbcUrl(server.url()))));
        PgdbmVsJdbc.createTables(pool);
        db = Pgdbm.wrap(pool, DatabaseConfig.builder().build(), new Jta(registry)).module("bench", PgdbmVsJdbc.SCHEMA);
        ids = PgdbmVsJdbc.accountIds();
        checkTakesPart();
    }

    /** Narayana as Quarkus sets it up: an object store of its own, no status socket, Agroal as the last resource. */
    private static void configureNarayana() {
        try {
            String store = Files.createTempDirectory("pgdbm-bench-narayana-").toString();
            BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(store);
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "communicationStore")
                    .setObjectStoreDir(store);
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, "stateStore").setObjectStoreDir(store);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        arjPropertyManager.getCoordinatorEnvironmentBean().setTransactionStatusManagerEnable(false);
        jtaPropertyManager.getJTAEnvironmentBean()
                .setLastResourceOptimisationInterfaceClassName("io.agroal.narayana.LocalXAResource");
    }

    @Setup(Level.Iteration)
    @Override
    public void emptyTargets() {
        // Read-only: nothing to empty.
    }

    @TearDown(Level.Trial)
    @Override
    public void stopTrial() {
        if (pool != null) {
            pool.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    public InterleavedPair.Side side(String benchmark) {
        return switch (benchmark) {
            case "pointSelectContainerTransaction_pgdbm" -> this::pointSelectContainerTransaction_pgdbm;
            case "pointSelectContainerTransaction_raw" -> this::pointSelectContainerTransaction_raw;
            case "pointSelectLocalOnAgroal_pgdbm" -> this::pointSelectLocalOnAgroal_pgdbm;
            case "pointSelectLocalOnAgroal_raw" -> this::pointSelectLocalOnAgroal_raw;
            default -> throw new IllegalArgumentException("No benchmark " + benchmark + " in "
                    + ContainerTransactionPath.class.getSimpleName());
        };
    }

    // ---- inside a JTA transaction of its own ------------------------------------------------------------------

    @Benchmark
    public Account pointSelectContainerTransaction_pgdbm() throws Exception {
        manager.begin();
        try {
            Account account = db.fetchOne(PgdbmVsJdbc.SELECT_PGDBM, Account.class, nextId()).orElseThrow();
            manager.commit();
            return account;
        } catch (Exception e) {
            manager.rollback();
            throw e;
        }
    }

    @Benchmark
    public Account pointSelectContainerTransaction_raw() throws Exception {
        manager.begin();
        try {
            Account account = select();
            manager.commit();
            return account;
        } catch (Exception e) {
            manager.rollback();
            throw e;
        }
    }

    // ---- no JTA transaction: pgdbm's local path ---------------------------------------------------------------

    @Benchmark
    public Account pointSelectLocalOnAgroal_pgdbm() {
        return db.fetchOne(PgdbmVsJdbc.SELECT_PGDBM, Account.class, nextId()).orElseThrow();
    }

    @Benchmark
    public Account pointSelectLocalOnAgroal_raw() throws SQLException {
        return select();
    }

    private Account select() throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement statement = connection.prepareStatement(PgdbmVsJdbc.SELECT_RAW)) {
            statement.setLong(1, nextId());
            try (ResultSet result = statement.executeQuery()) {
                if (!result.next()) {
                    throw new IllegalStateException("no account");
                }
                return new Account(result.getLong(1), result.getString(2), result.getString(3), result.getInt(4),
                        result.getObject(5, OffsetDateTime.class));
            }
        }
    }

    private long nextId() {
        return ids[next++ & (ids.length - 1)];
    }

    /** Refuses to measure unless pgdbm really runs inside the JTA transaction: a write it makes there rolls back. */
    private void checkTakesPart() throws SQLException {
        try {
            manager.begin();
            db.execute("INSERT INTO {{tables.inserted}} (email, balance) VALUES ('jta@example.com', 1)");
            manager.rollback();
        } catch (Exception e) {
            throw new IllegalStateException("pgdbm does not take part in the JTA transaction: " + e, e);
        }
        if (db.fetchValue("SELECT count(*) FROM {{tables.inserted}}", Long.class) != 0) {
            throw new IllegalStateException("pgdbm committed inside a JTA transaction that rolled back");
        }
    }

    /** The container's transactions, through Narayana's registry, as the CDI extension reads them. */
    private record Jta(TransactionSynchronizationRegistry registry) implements ContainerTransactions {

        @Override
        public boolean isActive() {
            return switch (registry.getTransactionStatus()) {
                case Status.STATUS_NO_TRANSACTION, Status.STATUS_COMMITTED, Status.STATUS_ROLLEDBACK,
                        Status.STATUS_UNKNOWN -> false;
                default -> true;
            };
        }

        @Override
        public void setRollbackOnly() {
            registry.setRollbackOnly();
        }

        @Override
        public Object transactionKey() {
            return registry.getTransactionKey();
        }
    }
}
