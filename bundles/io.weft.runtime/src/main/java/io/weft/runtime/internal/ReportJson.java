package io.weft.runtime.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import io.weft.runtime.ReadinessReport;

/** JSON form of a readiness report, shared by the HTTP endpoint and weft:version --json. */
public final class ReportJson {

    private static final ObjectWriter WRITER = new ObjectMapper().writerWithDefaultPrettyPrinter();

    private ReportJson() {
    }

    public static String write(ReadinessReport report) {
        try {
            return WRITER.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Failed to write the readiness report as JSON", e);
        }
    }
}
