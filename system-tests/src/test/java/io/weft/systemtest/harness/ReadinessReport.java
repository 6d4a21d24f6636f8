package io.weft.systemtest.harness;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The JSON document of GET /health/ready and {@code weft:version --json}. Unknown fields
 * are ignored, so later additions to the document do not break older tests.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReadinessReport(
        String role,
        String version,
        String commit,
        boolean ready,
        List<Component> components,
        List<String> problems) {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true);

    /** One Declarative Services component of a Weft bundle and its state. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(String bundle, String component, String state, String detail) {
    }

    /**
     * Parses the JSON document.
     *
     * @throws IllegalArgumentException when the text is not a readiness report; the message
     *         contains the text
     */
    public static ReadinessReport parse(String json) {
        try {
            return MAPPER.readValue(json, ReadinessReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Not a readiness report (" + e.getOriginalMessage() + "): "
                    + json, e);
        }
    }
}
