package io.weft.node.edge.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

import io.weft.app.api.Caller;
import io.weft.app.api.OperationException;
import io.weft.app.api.OperationRequest;
import io.weft.policy.AppOperation;

/** The {@link OperationRequest} of one call, with the headers and body read before the call. Immutable. */
final class EdgeRequest implements OperationRequest {

    private final AppOperation operation;
    private final Caller caller;
    private final Instant deadline;
    private final byte[] body;
    private final Map<String, String> headers;
    private final Map<String, List<String>> parameters;
    private final ParsedBody parsed;

    /** A body that the Edge API parsed before the call, because its content type is JSON. */
    record ParsedBody(Object value) {
    }

    /**
     * @param headers the first value of each header, by name
     * @param parsed  the body already parsed as JSON, or null to parse it when the app requests it
     */
    EdgeRequest(AppOperation operation, Caller caller, Instant deadline, byte[] body, Map<String, String> headers,
            Map<String, List<String>> parameters, ParsedBody parsed) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.body = body.clone();
        TreeMap<String, String> caseless = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        caseless.putAll(headers);
        this.headers = caseless;
        this.parameters = Map.copyOf(parameters);
        this.parsed = parsed;
    }

    @Override
    public String app() {
        return operation.app();
    }

    @Override
    public String operation() {
        return operation.operation();
    }

    @Override
    public Caller caller() {
        return caller;
    }

    @Override
    public Instant deadline() {
        return deadline;
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public Object json() throws OperationException {
        if (parsed != null) {
            return parsed.value();
        }
        try {
            return Json.parse(body);
        } catch (IOException e) {
            throw new OperationException(400, "invalid_json", invalidJsonMessage(e), null);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, Object> jsonObject() throws OperationException {
        Object value = json();
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?>)) {
            throw new OperationException(400, "invalid_json", "The request body must be a JSON object such as"
                    + " {\"name\": \"Ada\"}, not a " + value.getClass().getSimpleName() + ".", null);
        }
        return (Map<String, Object>) value;
    }

    /** Returns the message for a body that is not JSON, with the parser's first line, which names the position. */
    static String invalidJsonMessage(IOException e) {
        String detail = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        return "The request body is not valid JSON: " + detail + ". Send one JSON value, such as an object.";
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    @Override
    public Optional<String> parameter(String name) {
        List<String> values = parameters.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public Map<String, List<String>> parameters() {
        return parameters;
    }
}
