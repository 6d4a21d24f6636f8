package io.weft.manager.store.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store suite on a real PostgreSQL server that {@link PostgresExtension} starts. Each
 * database of the suite is a new database on that server, owned by a user with a password.
 */
@ExtendWith(PostgresExtension.class)
class PostgresFleetStoreTest extends FleetStoreContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final PostgresServer server;

    PostgresFleetStoreTest(PostgresServer server) {
        this.server = server;
    }

    @Override
    StoreSettings newDatabase(String name) throws Exception {
        String url = server.createDatabase(name + "_" + DATABASES.incrementAndGet());
        return new StoreSettings(url, PostgresServer.USER, Optional.empty(), 4, Duration.ofSeconds(30));
    }

    @Override
    String password() {
        return server.password();
    }
}
