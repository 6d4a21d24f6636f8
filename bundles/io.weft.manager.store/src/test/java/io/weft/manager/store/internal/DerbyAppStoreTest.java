package io.weft.manager.store.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.io.TempDir;

/** The app store suite on embedded Derby, with its database in a temporary folder. */
class DerbyAppStoreTest extends AppStoreContract {

    /** Static, so that JUnit creates it before the suite opens its database in @BeforeAll. */
    @TempDir
    static Path folder;

    @Override
    StoreSettings newDatabase(String name) {
        return new StoreSettings("jdbc:derby:" + folder.resolve(name) + ";create=true", "", Optional.empty(), 4,
                Duration.ofSeconds(30));
    }

    @Override
    String password() {
        return null;
    }
}
