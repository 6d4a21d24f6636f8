package io.weft.manager.store.itest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.UUID;

import org.apache.derby.jdbc.EmbeddedDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.util.tracker.ServiceTracker;

import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.audit.AuditVerifier;
import io.weft.manager.store.AccessStore;
import io.weft.manager.store.AppStore;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.PolicyStore;
import io.weft.manager.store.StoreTransactions;
import io.weft.manager.store.DomainQuery;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.FlowStore;

/** The store component under Felix SCR and ConfigAdmin, on the merged Derby bundle. */
class StoreActivationTest {

    private static final String PID = "io.weft.manager.store";
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** The default store: a component without configuration has no service.pid property. */
    private static final String UNCONFIGURED = "(!(service.pid=*))";

    @InjectBundleContext
    BundleContext context;

    @InjectService(timeout = 5000)
    ConfigurationAdmin configurationAdmin;

    @TempDir
    Path folder;

    /**
     * Deletes the configuration and waits until the configured store is gone, so that its
     * database is shut down before JUnit deletes the temporary folder.
     */
    @AfterEach
    void deleteConfiguration() throws IOException, InterruptedException, InvalidSyntaxException {
        configurationAdmin.getConfiguration(PID, "?").delete();
        awaitStore(UNCONFIGURED);
    }

    @Test
    void defaultDatabaseCreatedUnderKarafData() throws Exception {
        Path karafData = Path.of(context.getProperty("karaf.data"));
        String domain = "run-" + UUID.randomUUID() + ".example";

        FleetStore store = awaitStore(UNCONFIGURED);
        store.createDomain(domain, "created in Felix");

        assertThat(store.findDomain(domain)).isPresent();
        assertThat(karafData.resolve("weft/manager-db/service.properties")).exists();
        assertThat(karafData.resolve("weft/derby.log")).exists();
    }

    @Test
    void configuredDatabaseCreatedAndMigrated() throws Exception {
        Path database = folder.resolve("manager-db");
        String jdbcUrl = "jdbc:derby:" + database + ";create=true";
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("jdbcUrl", jdbcUrl);
        properties.put("maxConnections", 2);
        configurationAdmin.getConfiguration(PID, "?").update(properties);

        FleetStore store = awaitStore("(jdbcUrl=" + jdbcUrl + ")");
        store.createDomain("acme.example", "");

        assertThat(store.listDomains(DomainQuery.all()).items()).hasSize(1);
        assertThat(appliedMigrations(database)).as("migrations V1 to V7 in the history").isEqualTo(7);
    }

    @Test
    void storesShareTheRegistration() throws Exception {
        FleetStore store = awaitStore(UNCONFIGURED);
        ServiceReference<FleetStore> reference = context.getServiceReference(FleetStore.class);

        String[] objectClasses = (String[]) reference.getProperty(Constants.OBJECTCLASS);
        AuditStore audit = (AuditStore) store;
        AuditEntry appended = audit.append(new AuditEvent("system", null, "itest.run", "store", null, "{}"));

        assertThat(objectClasses).containsExactlyInAnyOrder(FleetStore.class.getName(), AccessStore.class.getName(),
                AuditStore.class.getName(), ControlStore.class.getName(), PolicyStore.class.getName(),
                StoreTransactions.class.getName(), FlowStore.class.getName(), AppStore.class.getName());
        assertThat(audit.head()).isEqualTo(appended.anchor());
        assertThat(AuditVerifier.verify(audit.entries()).isIntact()).isTrue();
    }

    /** Waits for the store service whose properties match the filter, because ConfigAdmin and SCR work asynchronously. */
    private FleetStore awaitStore(String propertyFilter) throws InterruptedException, InvalidSyntaxException {
        String filter = "(&(objectClass=" + FleetStore.class.getName() + ")" + propertyFilter + ")";
        ServiceTracker<FleetStore, FleetStore> tracker = new ServiceTracker<>(context,
                FrameworkUtil.createFilter(filter), null);
        tracker.open();
        try {
            FleetStore store = tracker.waitForService(WAIT.toMillis());
            assertThat(store).as("FleetStore service matching %s after %s s", filter, WAIT.toSeconds()).isNotNull();
            return store;
        } finally {
            tracker.close();
        }
    }

    /** Counts the rows of the migration history, through a second connection to the booted database. */
    private static int appliedMigrations(Path database) throws SQLException {
        EmbeddedDataSource dataSource = new EmbeddedDataSource();
        dataSource.setDatabaseName(database.toString());
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT COUNT(*) FROM weft_schema_version")) {
            row.next();
            return row.getInt(1);
        }
    }
}
