package io.weft.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OsgiBundleTest {

    @Test
    void bundleLineParsed() {
        OsgiBundle bundle = OsgiBundle.parse("25 | 32 | io.weft.runtime | 0.1.0.SNAPSHOT | ");

        assertThat(bundle).isEqualTo(new OsgiBundle(25, OsgiBundle.ACTIVE, "io.weft.runtime", "0.1.0.SNAPSHOT", ""));
        assertThat(bundle.isFragment()).isFalse();
        assertThat(bundle.stateName()).isEqualTo("ACTIVE");
    }

    @Test
    void fragmentLineParsed() {
        OsgiBundle bundle = OsgiBundle.parse("54 | 4 | org.ops4j.pax.web.pax-web-compatibility-servlet31 | 8.0.34 | "
                + "jakarta.servlet-api;bundle-version=\"[4,5)\"");

        assertThat(bundle.isFragment()).isTrue();
        assertThat(bundle.fragmentHost()).isEqualTo("jakarta.servlet-api;bundle-version=\"[4,5)\"");
        assertThat(bundle.stateName()).isEqualTo("RESOLVED");
    }

    @Test
    void malformedLineRejected() {
        assertThatThrownBy(() -> OsgiBundle.parse("Command not found: each"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Command not found: each");
    }
}
