package io.weft.node.apps.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.control.state.AppDeployment;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AppReportsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T02:00:00Z"), ZoneOffset.UTC);

    private final List<String> published = new ArrayList<>();
    private final AppReports reports = new AppReports(published::add, CLOCK);

    @Test
    void reportIsKeyedByAppName() throws Exception {
        reports.set(deployment("org.example.b", "2.0.0"), AppStatus.ROLLED_BACK, "unhealthy", "1.0.0");
        reports.set(deployment("org.example.a", "1.0.0"), AppStatus.INSTALLED, null, "1.0.0");

        reports.publish();

        JsonNode report = new ObjectMapper().readTree(published.get(0));
        assertThat(report.path("org.example.b").path("state").asText()).isEqualTo("rolled-back");
        assertThat(report.path("org.example.b").path("error").asText()).isEqualTo("unhealthy");
        assertThat(report.path("org.example.b").path("runningVersion").asText()).isEqualTo("1.0.0");
        assertThat(report.path("org.example.a").path("deploymentId").asText()).isEqualTo("d1");
        assertThat(reports.all()).extracting(AppStatus::app).containsExactly("org.example.a", "org.example.b");
    }

    @Test
    void removedAppLeavesReport() throws Exception {
        reports.set(deployment("org.example.a", "1.0.0"), AppStatus.INSTALLED, null, "1.0.0");
        reports.remove("org.example.a");

        reports.publish();

        assertThat(published.get(0)).isEqualTo("{}");
        assertThat(reports.all()).isEmpty();
    }

    private static AppDeployment deployment(String app, String version) {
        return new AppDeployment("d1", app, version, "ab".repeat(32), 100, "MIIB");
    }
}
