package io.weft.runtime.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.List;

import org.junit.jupiter.api.Test;

class ReadinessServletWatchTest {

    @Test
    void readinessUriFromSingleEndpoint() {
        assertThat(ReadinessServletWatch.readinessUri("http://127.0.0.1:8181/"))
                .contains(URI.create("http://127.0.0.1:8181/health/ready"));
    }

    @Test
    void readinessUriFromEndpointWithoutSlash() {
        assertThat(ReadinessServletWatch.readinessUri(new String[] {"http://127.0.0.1:8182"}))
                .contains(URI.create("http://127.0.0.1:8182/health/ready"));
    }

    @Test
    void readinessUriSkipsHttpsEndpoints() {
        assertThat(ReadinessServletWatch.readinessUri(List.of("https://127.0.0.1:8443/", "http://127.0.0.1:8181/")))
                .contains(URI.create("http://127.0.0.1:8181/health/ready"));
    }

    @Test
    void readinessUriEmptyWithoutEndpoint() {
        assertThat(ReadinessServletWatch.readinessUri(null)).isEmpty();
        assertThat(ReadinessServletWatch.readinessUri(new String[0])).isEmpty();
    }
}
