package io.weft.manager.store.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.extension.ExtendWith;

/** The app store suite on the PostgreSQL server that {@link PostgresExtension} starts. */
@ExtendWith(PostgresExtension.class)
class PostgresAppStoreTest extends AppStoreContract {

    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final PostgresServer server;

    PostgresAppStoreTest(PostgresServer server) {
        this.server = server;
    }

    @Override
    StoreSettings newDatabase(String name) throws Exception {
        String url = server.createDatabase("apps_" + name + "_" + DATABASES.incrementAndGet());
        return new StoreSettings(url, PostgresServer.USER, Optional.empty(), 4, Duration.ofSeconds(30));
    }

    @Override
    String password() {
        return server.password();
    }
}
