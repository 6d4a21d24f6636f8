package io.weft.manager.control.internal;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;

import org.osgi.framework.BundleContext;

import io.weft.manager.store.ControlStore;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.FlowStore;
import io.weft.manager.store.StoreTransactions;
import io.weft.manager.store.internal.FleetStoreComponent;

/** The real manager store on embedded Derby in a folder, opened through its DS component as the manager opens it. */
final class TestStore implements AutoCloseable {

    private final String jdbcUrl;
    private final FleetStoreComponent store;

    TestStore(Path folder) {
        this.jdbcUrl = "jdbc:derby:" + folder.resolve("manager-db");
        FleetStoreComponent.Config config = mock(FleetStoreComponent.Config.class);
        when(config.jdbcUrl()).thenReturn(jdbcUrl + ";create=true");
        when(config.user()).thenReturn("");
        when(config.passwordFile()).thenReturn("");
        when(config.maxConnections()).thenReturn(8);
        when(config.connectionTimeoutSeconds()).thenReturn(30);
        this.store = new FleetStoreComponent(mock(BundleContext.class), config);
    }

    FleetStore fleet() {
        return store;
    }

    ControlStore control() {
        return store;
    }

    FlowStore flows() {
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
