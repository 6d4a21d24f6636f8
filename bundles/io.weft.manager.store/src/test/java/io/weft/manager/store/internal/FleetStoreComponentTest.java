package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

import io.weft.manager.store.DomainQuery;
import io.weft.manager.store.StoreException;

class FleetStoreComponentTest {

    @TempDir
    Path karafData;

    @Test
    void emptyUrlSelectsDerbyUnderKarafData() {
        StoreSettings settings = FleetStoreComponent.settings(config("", ""), "/opt/weft/data");

        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:derby:/opt/weft/data/weft/manager-db;create=true");
        assertThat(settings.passwordFile()).isEmpty();
        assertThat(settings.maxConnections()).isEqualTo(8);
    }

    @Test
    void emptyUrlWithoutKarafDataRejected() {
        assertThatThrownBy(() -> FleetStoreComponent.settings(config("", ""), null))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("set jdbcUrl in PID io.weft.manager.store");
    }

    @Test
    void invalidSettingsRejected() {
        FleetStoreComponent.Config config = config("jdbc:oracle:thin:@db:1521:weft", "");

        assertThatThrownBy(() -> FleetStoreComponent.settings(config, null))
                .isInstanceOf(StoreException.class)
                .hasMessageStartingWith("Manager store: invalid configuration of PID io.weft.manager.store: "
                        + "Unsupported JDBC URL");
    }

    @Test
    void settingsTextOmitsPassword() {
        StoreSettings settings = FleetStoreComponent.settings(
                config("jdbc:postgresql://db:5432/weft?password=s3cret", "/etc/weft/db.password"), null);

        assertThat(settings.toString()).doesNotContain("s3cret")
                .contains("passwordFile=/etc/weft/db.password");
    }

    @Test
    void activationCreatesAndMigratesDefaultDatabase() throws IOException {
        Path passwordFile = Files.writeString(karafData.resolve("db.password"), "unused by Derby\n");
        Files.setPosixFilePermissions(passwordFile, PosixFilePermissions.fromString("rw-------"));
        BundleContext context = mock(BundleContext.class);
        when(context.getProperty("karaf.data")).thenReturn(karafData.toString());

        FleetStoreComponent component = new FleetStoreComponent(context, config("", passwordFile.toString()));
        try {
            component.createDomain("acme.example", "");

            assertThat(component.listDomains(DomainQuery.all()).items()).hasSize(1);
            assertThat(karafData.resolve("weft/manager-db/service.properties")).exists();
        } finally {
            component.deactivate();
        }
    }

    private static FleetStoreComponent.Config config(String jdbcUrl, String passwordFile) {
        FleetStoreComponent.Config config = mock(FleetStoreComponent.Config.class);
        when(config.jdbcUrl()).thenReturn(jdbcUrl);
        when(config.user()).thenReturn("");
        when(config.passwordFile()).thenReturn(passwordFile);
        when(config.maxConnections()).thenReturn(8);
        when(config.connectionTimeoutSeconds()).thenReturn(30);
        return config;
    }
}
