package io.weft.manager.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Parsing and redaction of the JDBC URLs that the store accepts. */
class JdbcUrlsTest {

    @Test
    void passwordAttributesRedacted() {
        assertThat(JdbcUrls.redact("jdbc:derby:/data/db;create=true;password=s3cret;user=weft"))
                .isEqualTo("jdbc:derby:/data/db;create=true;password=***;user=weft");
        assertThat(JdbcUrls.redact("jdbc:postgresql://db:5432/weft?user=weft&PASSWORD=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/weft?user=weft&PASSWORD=***&ssl=true");
    }

    @Test
    void derbyUrlSplitIntoNameAndAttributes() {
        DerbyUrl url = DerbyUrl.parse("jdbc:derby:/var/lib/weft/db;create=true;territory=de_DE");

        assertThat(url.databaseName()).isEqualTo("/var/lib/weft/db");
        assertThat(url.attributes()).isEqualTo("create=true;territory=de_DE");
        assertThat(url.folder()).contains(Path.of("/var/lib/weft/db"));
    }

    @Test
    void derbyInMemoryDatabaseHasNoFolder() {
        assertThat(DerbyUrl.parse("jdbc:derby:memory:test;create=true").folder()).isEmpty();
        assertThat(DerbyUrl.parse("jdbc:derby:directory:/data/db").folder()).contains(Path.of("/data/db"));
    }

    @Test
    void derbyNetworkUrlRejected() {
        assertThatThrownBy(() -> DerbyUrl.parse("jdbc:derby://db.example:1527/weft;password=s3cret"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unsupported JDBC URL 'jdbc:derby://db.example:1527/weft;password=***': the store "
                        + "embeds Derby and has no Derby network client; use jdbc:derby:<folder>");
    }

    @Test
    void otherProductsRejected() {
        assertThatThrownBy(() -> Dialect.ofUrl("jdbc:mysql://db/weft"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Unsupported JDBC URL 'jdbc:mysql://db/weft'");
    }
}
