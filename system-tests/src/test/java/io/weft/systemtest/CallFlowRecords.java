package io.weft.systemtest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;

import io.weft.systemtest.harness.ManagerApi;

/** Reads the flow records of Edge API calls through the manager's {@code GET /api/v1/flows}. */
final class CallFlowRecords {

    /** Nodes send their records every second, and the manager stores them on arrival. */
    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private CallFlowRecords() {
    }

    /**
     * Returns the newest call record that the filters select and that {@code matches}, waiting up
     * to {@link #TIMEOUT} for the node to send it.
     *
     * @param filters query parameters of the listing, such as {@code app}, {@code operation} and {@code caller}
     */
    static JsonNode await(ManagerApi api, String description, Map<String, String> filters,
            Predicate<JsonNode> matches) {
        String query = filters.entrySet().stream()
                .map(filter -> filter.getKey() + "=" + URLEncoder.encode(filter.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&", "/flows?kind=call&", ""));
        long end = System.nanoTime() + TIMEOUT.toNanos();
        JsonNode items = null;
        while (System.nanoTime() < end) {
            items = api.expect(200, api.get(query)).path("items");
            for (JsonNode flow : items) {
                if (matches.test(flow)) {
                    return flow;
                }
            }
            sleep(description);
        }
        throw new AssertionError("Timed out after " + TIMEOUT.toSeconds() + " s waiting for the flow record of "
                + description + "; GET " + query + " returned " + items);
    }

    private static void sleep(String description) {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for the flow record of " + description, e);
        }
    }
}
