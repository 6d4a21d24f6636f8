package io.weft.manager.api.internal.fleet;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import javax.ws.rs.ext.RuntimeDelegate;

import org.apache.cxf.jaxrs.impl.RuntimeDelegateImpl;
import org.osgi.framework.BundleContext;

import io.weft.manager.api.internal.audit.AuditTrail;
import io.weft.manager.store.AccessStore;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.StoreTransactions;
import io.weft.manager.store.internal.FleetStoreComponent;

/**
 * The real manager store on embedded Derby in a folder, opened through its DS component as
 * the manager opens it. Also installs CXF's RuntimeDelegate, which javax.ws.rs exceptions need
 * outside OSGi.
 */
public final class DerbyStore implements AutoCloseable {

    private final String jdbcUrl;
    private final FleetStore store;

    public DerbyStore(Path folder) {
        RuntimeDelegate.setInstance(new RuntimeDelegateImpl());
        this.jdbcUrl = "jdbc:derby:" + folder.resolve("manager-db");

        FleetStoreComponent.Config config = mock(FleetStoreComponent.Config.class);
        when(config.jdbcUrl()).thenReturn(jdbcUrl + ";create=true");
        when(config.user()).thenReturn("");
        when(config.passwordFile()).thenReturn("");
        when(config.maxConnections()).thenReturn(4);
        when(config.connectionTimeoutSeconds()).thenReturn(30);
        this.store = new FleetStoreComponent(mock(BundleContext.class), config);
    }

    public FleetStore store() {
        return store;
    }

    /** Returns the access store, which the same component serves. */
    public AccessStore accessStore() {
        return (AccessStore) store;
    }

    /** Returns the flow store, which the same component serves. */
    public io.weft.manager.store.FlowStore flowStore() {
        return (io.weft.manager.store.FlowStore) store;
    }

    /** Returns the audit store, which the same component serves. */
    public AuditStore auditStore() {
        return (AuditStore) store;
    }

    /** Returns a trail that records into this store, in the transactions of the changes. */
    public AuditTrail auditTrail() {
        return new AuditTrail(auditStore(), (StoreTransactions) store);
    }

    /** Shuts the database down, which Derby confirms with an SQLException of state 08006. */
    @Override
    public void close() {
        try {
            DriverManager.getConnection(jdbcUrl + ";shutdown=true").close();
        } catch (SQLException e) {
            if (!"08006".equals(e.getSQLState())) {
                throw new IllegalStateException("Failed to shut down " + jdbcUrl, e);
            }
        }
    }
}
