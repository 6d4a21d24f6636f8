package io.weft.manager.control.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.weft.fleet.ProfileValue;

class AppLocationsConfigurationTest {

    private static final Map<String, Map<String, ProfileValue>> PROFILE = Map.of("io.weft.node.edge",
            Map.of("port", ProfileValue.ofLong(8544)));

    @Test
    void locationsBecomeOneEntryPerApp() {
        Map<String, Map<String, ProfileValue>> configurations = AppLocationsConfiguration.with(PROFILE,
                Map.of("hello", List.of("eb.b.example", "gw1.gw.example")));

        assertThat(configurations.get("io.weft.node.edge")).isEqualTo(PROFILE.get("io.weft.node.edge"));
        assertThat(configurations.get(AppLocationsConfiguration.PID).get(AppLocationsConfiguration.KEY).asStrings())
                .containsExactly("hello=eb.b.example,gw1.gw.example");
    }

    @Test
    void profileCannotSetLocations() {
        Map<String, Map<String, ProfileValue>> profile = Map.of(AppLocationsConfiguration.PID,
                Map.of(AppLocationsConfiguration.KEY, ProfileValue.ofStrings("hello=evil.x.example")));

        assertThat(AppLocationsConfiguration.with(profile, Map.of())).doesNotContainKey(AppLocationsConfiguration.PID);
        assertThat(AppLocationsConfiguration.with(profile, Map.of("hello", List.of("eb.b.example")))
                .get(AppLocationsConfiguration.PID).get(AppLocationsConfiguration.KEY).asStrings())
                .containsExactly("hello=eb.b.example");
    }
}
