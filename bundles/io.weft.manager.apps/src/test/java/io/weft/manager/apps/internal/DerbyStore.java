package io.weft.manager.apps.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import javax.ws.rs.ext.RuntimeDelegate;

import org.apache.cxf.jaxrs.impl.RuntimeDelegateImpl;
import org.osgi.framework.BundleContext;

import io.weft.manager.store.AppStore;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.StoreTransactions;
import io.weft.manager.store.internal.FleetStoreComponent;

/**
 * The real manager store on embedded Derby in a folder, opened through its DS component as
 * the manager opens it. Also installs CXF's RuntimeDelegate, which javax.ws.rs exceptions need
 * outside OSGi.
 */
final class DerbyStore implements AutoCloseable {

    private final String jdbcUrl;
    private final FleetStoreComponent store;

    DerbyStore(Path folder) {
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

    FleetStore fleet() {
        return store;
    }

    AppStore apps() {
        return store;
    }

    AuditStore audit() {
        return store;
    }

    StoreTransactions transactions() {
        return store;
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
