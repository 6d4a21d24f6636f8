package io.weft.manager.rest.internal.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import javax.ws.rs.BadRequestException;
import javax.ws.rs.ClientErrorException;
import javax.ws.rs.InternalServerErrorException;
import javax.ws.rs.NotAcceptableException;
import javax.ws.rs.NotAllowedException;
import javax.ws.rs.NotAuthorizedException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.NotSupportedException;
import javax.ws.rs.ServiceUnavailableException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.NoContentException;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.rest.api.PreconditionFailedException;
import io.weft.manager.rest.api.PreconditionRequiredException;
import io.weft.manager.rest.api.StaleVersionException;
import io.weft.manager.rest.internal.CxfRuntimeDelegate;
import io.weft.manager.rest.internal.body.RequestBodyTooLargeException;
import io.weft.manager.rest.internal.json.JsonMappers;

@ExtendWith(CxfRuntimeDelegate.class)
class ApiErrorsTest {

    private static final RequestLine REQUEST = new RequestLine("POST", "/api/v1/services", "application/json");
    private static final ObjectMapper MAPPER = JsonMappers.strict();

    enum Mode { ON, OFF }

    record Port(String name, int number) {
    }

    record Service(String name, int port, boolean enabled, List<Port> ports, Mode mode) {
    }

    record Identified(UUID id) {
    }

    /** A request type whose constructor enforces a rule, as DTOs may do. */
    record Named(String name) {
        Named {
            if (name != null && name.isBlank()) {
                throw new InvalidFieldException("name", "must not be blank");
            }
        }
    }

    @Test
    void bodyEndingEarlyIsBadRequest() {
        ApiError error = ApiErrors.toError(new javax.ws.rs.ProcessingException(new java.io.EOFException("Early EOF")),
                REQUEST);

        assertError(error, 400, ErrorCode.BAD_REQUEST, null);
        assertThat(error.message()).contains("ended before its Content-Length");
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        ApiError error = readError("{\n  \"name\": \"web\",\n}", Service.class);

        assertError(error, 400, ErrorCode.MALFORMED_JSON, null);
        assertThat(error.message()).startsWith("the request body is not valid JSON at line 3, column 1: ");
    }

    @Test
    void trailingContentIsMalformed() {
        ApiError error = readError(service("\"name\": \"web\"") + " {}", Service.class);

        assertError(error, 400, ErrorCode.MALFORMED_JSON, null);
        assertThat(error.message()).contains("content follows the first JSON value");
    }

    @Test
    void duplicateKeyIsMalformed() {
        ApiError error = readError(service("\"name\": \"a\", \"name\": \"b\""), Service.class);

        assertError(error, 400, ErrorCode.MALFORMED_JSON, null);
        assertThat(error.message()).contains("Duplicate field 'name'");
    }

    @Test
    void unknownFieldNamesFieldAndKnownFields() {
        ApiError error = readError(service("\"nmae\": \"web\""), Service.class);

        assertError(error, 400, ErrorCode.UNKNOWN_FIELD, "nmae");
        assertThat(error.message()).isEqualTo(
                "unknown field 'nmae'; the known fields are enabled, mode, name, port, ports");
    }

    @Test
    void unknownNestedFieldHasPath() {
        ApiError error = readError(service("\"ports\": [{\"name\": \"http\", \"number\": 80, \"nmber\": 1}]"),
                Service.class);

        assertError(error, 400, ErrorCode.UNKNOWN_FIELD, "ports[0].nmber");
        assertThat(error.message()).isEqualTo("unknown field 'nmber'; the known fields are name, number");
    }

    @Test
    void wrongTypeNamesFieldPath() {
        ApiError error = readError(service("\"ports\": [{\"name\": \"a\", \"number\": 1}, {\"number\": true}]"),
                Service.class);

        assertError(error, 400, ErrorCode.INVALID_TYPE, "ports[1].number");
        assertThat(error.message()).isEqualTo("must be an integer");
    }

    @Test
    void numberInStringIsWrongType() {
        ApiError error = readError("{\"port\": \"80\", \"enabled\": true}", Service.class);

        assertError(error, 400, ErrorCode.INVALID_TYPE, "port");
        assertThat(error.message()).isEqualTo("must be an integer");
    }

    @Test
    void numberForStringIsWrongType() {
        ApiError error = readError(service("\"name\": 5"), Service.class);

        assertError(error, 400, ErrorCode.INVALID_TYPE, "name");
        assertThat(error.message()).isEqualTo("must be a string, not 5");
    }

    @Test
    void missingPrimitiveIsReported() {
        ApiError error = readError("{\"port\": 80}", Service.class);

        assertError(error, 400, ErrorCode.INVALID_TYPE, "enabled");
        assertThat(error.message()).isEqualTo("is missing or null but must be a boolean");
    }

    @Test
    void wrongRootTypeHasNoField() {
        ApiError error = readError("[1, 2]", Service.class);

        assertError(error, 400, ErrorCode.INVALID_TYPE, null);
        assertThat(error.message()).isEqualTo("the request body must be a JSON object");
    }

    @Test
    void enumValueOutsideSetIsInvalidField() {
        ApiError error = readError(service("\"mode\": \"MAYBE\""), Service.class);

        assertError(error, 400, ErrorCode.INVALID_FIELD, "mode");
        assertThat(error.message()).isEqualTo("must be one of ON, OFF, not \"MAYBE\"");
    }

    @Test
    void enumOrdinalIsRejected() {
        ApiError error = readError(service("\"mode\": 0"), Service.class);

        assertThat(error.status()).isEqualTo(400);
        assertThat(error.field()).isEqualTo("mode");
    }

    @Test
    void fractionForIntegerIsWrongType() {
        ApiError error = readError("{\"port\": 1.5, \"enabled\": true}", Service.class);

        assertError(error, 400, ErrorCode.INVALID_TYPE, "port");
        assertThat(error.message()).isEqualTo("must be an integer, not 1.5");
    }

    @Test
    void integerOutOfRangeNamesRange() {
        ApiError error = readError(service("\"ports\": [{\"name\": \"a\", \"number\": 99999999999}]"), Service.class);

        assertError(error, 400, ErrorCode.INVALID_TYPE, "ports[0].number");
        assertThat(error.message()).isEqualTo("must be an integer from -2147483648 to 2147483647");
    }

    @Test
    void malformedNestedValueIsMalformed() {
        ApiError error = readError(service("\"ports\": [{\"name\": \"a\",}]"), Service.class);

        assertError(error, 400, ErrorCode.MALFORMED_JSON, null);
        assertThat(error.message()).startsWith("the request body is not valid JSON at line 1, column ");
    }

    @Test
    void invalidUuidIsInvalidField() {
        ApiError error = readError("{\"id\": \"not-a-uuid\"}", Identified.class);

        assertError(error, 400, ErrorCode.INVALID_FIELD, "id");
        assertThat(error.message()).isEqualTo("is not a valid UUID: \"not-a-uuid\"");
    }

    @Test
    void deepNestingExceedsLimit() {
        String json = "[".repeat(JsonMappers.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonMappers.MAX_NESTING_DEPTH + 1);

        ApiError error = readError(json, JsonNode.class);

        assertError(error, 400, ErrorCode.JSON_LIMIT_EXCEEDED, null);
        assertThat(error.message()).contains("nesting depth").contains(Integer.toString(JsonMappers.MAX_NESTING_DEPTH));
    }

    @Test
    void blankBodyIsMissing() {
        ApiError error = readError("   ", Service.class);

        assertError(error, 400, ErrorCode.MISSING_BODY, null);
        assertThat(error.message()).isEqualTo("the request body is empty; send a JSON document");
    }

    @Test
    void emptyBodyFromJsonProviderIsMissing() {
        // The JSON provider throws NoContentException, and CXF wraps it in a BadRequestException.
        BadRequestException thrown = new BadRequestException(new NoContentException("No content (empty input stream)"));

        ApiError error = ApiErrors.toError(thrown, REQUEST);

        assertError(error, 400, ErrorCode.MISSING_BODY, null);
    }

    @Test
    void constructorRuleIsInvalidField() {
        ApiError error = readError("{\"name\": \" \"}", Named.class);

        assertError(error, 400, ErrorCode.INVALID_FIELD, "name");
        assertThat(error.message()).isEqualTo("must not be blank");
    }

    @Test
    void invalidFieldExceptionKeepsFieldAndMessage() {
        ApiError error = ApiErrors.toError(new InvalidFieldException("spec.host", "must be a DNS name"), REQUEST);

        assertError(error, 400, ErrorCode.INVALID_FIELD, "spec.host");
        assertThat(error.message()).isEqualTo("must be a DNS name");
    }

    @Test
    void invalidFieldFoundInCauseChain() {
        RuntimeException thrown = new IllegalStateException("wrapper",
                new InvalidFieldException("name", "must be at most 63 characters"));

        ApiError error = ApiErrors.toError(thrown, REQUEST);

        assertError(error, 400, ErrorCode.INVALID_FIELD, "name");
    }

    @Test
    void staleVersionIs412WithCurrentETag() {
        ApiError error = ApiErrors.toError(new StaleVersionException(3, 5), REQUEST);

        assertError(error, 412, ErrorCode.STALE_VERSION, "If-Match");
        assertThat(error.headers()).containsEntry("ETag", "\"5\"");
        assertThat(error.message()).contains("version 5").contains("version 3");
    }

    @Test
    void missingIfMatchIs428() {
        ApiError error = ApiErrors.toError(new PreconditionRequiredException(), REQUEST);

        assertError(error, 428, ErrorCode.PRECONDITION_REQUIRED, "If-Match");
    }

    @Test
    void unmatchedIfMatchIs412() {
        ApiError error = ApiErrors.toError(new PreconditionFailedException("no profile"), REQUEST);

        assertError(error, 412, ErrorCode.PRECONDITION_FAILED, "If-Match");
        assertThat(error.message()).isEqualTo("no profile");
    }

    @Test
    void oversizedBodyIs413() {
        ApiError error = ApiErrors.toError(new RequestBodyTooLargeException(1024), REQUEST);

        assertError(error, 413, ErrorCode.BODY_TOO_LARGE, null);
        assertThat(error.message()).isEqualTo("the request body is larger than the maximum of 1024 bytes");
    }

    @Test
    void oversizedBodyWrappedByJacksonIs413() {
        JsonMappingException thrown = new JsonMappingException(null, "wrapped", new RequestBodyTooLargeException(1024));

        ApiError error = ApiErrors.toError(thrown, REQUEST);

        assertError(error, 413, ErrorCode.BODY_TOO_LARGE, null);
    }

    @Test
    void unknownPathIs404WithPath() {
        ApiError error = ApiErrors.toError(new NotFoundException(), new RequestLine("GET", "/api/v1/nodez", null));

        assertError(error, 404, ErrorCode.NOT_FOUND, null);
        assertThat(error.message()).isEqualTo("no resource at /api/v1/nodez");
    }

    @Test
    void notFoundKeepsResourceMessage() {
        ApiError error = ApiErrors.toError(new NotFoundException("node 'edge-7' not found"), REQUEST);

        assertError(error, 404, ErrorCode.NOT_FOUND, null);
        assertThat(error.message()).isEqualTo("node 'edge-7' not found");
    }

    @Test
    void methodNotAllowedListsAllowedMethods() {
        NotAllowedException thrown = new NotAllowedException("GET", new String[] { "OPTIONS", "HEAD" });

        ApiError error = ApiErrors.toError(thrown, new RequestLine("DELETE", "/api/v1", null));

        assertError(error, 405, ErrorCode.METHOD_NOT_ALLOWED, null);
        assertThat(error.message()).isEqualTo(
                "method DELETE is not allowed on /api/v1; allowed methods are GET, HEAD, OPTIONS");
        assertThat(error.headers()).containsEntry("Allow", "GET, HEAD, OPTIONS");
    }

    @Test
    void unsupportedMediaTypeNamesContentType() {
        ApiError error = ApiErrors.toError(new NotSupportedException(),
                new RequestLine("POST", "/api/v1/nodes", "text/plain"));

        assertError(error, 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type");
        assertThat(error.message())
                .isEqualTo("Content-Type text/plain is not supported by POST /api/v1/nodes; send application/json");
    }

    @Test
    void unsupportedMediaTypeNamesBundleTypesForUpload() {
        ApiError error = ApiErrors.toError(new NotSupportedException(),
                new RequestLine("POST", "/api/v1/apps", "application/json"));

        assertError(error, 415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type");
        assertThat(error.message()).isEqualTo("Content-Type application/json is not supported by POST /api/v1/apps;"
                + " send application/java-archive or application/octet-stream");
    }

    @Test
    void notAcceptableNamesAccept() {
        ApiError error = ApiErrors.toError(new NotAcceptableException(), REQUEST);

        assertError(error, 406, ErrorCode.NOT_ACCEPTABLE, "Accept");
    }

    @Test
    void conflictKeepsMessage() {
        ApiError error = ApiErrors.toError(new ClientErrorException("domain 'east' exists", 409), REQUEST);

        assertError(error, 409, ErrorCode.CONFLICT, null);
        assertThat(error.message()).isEqualTo("domain 'east' exists");
    }

    @Test
    void unlistedClientStatusKeepsStatus() {
        ApiError error = ApiErrors.toError(new ClientErrorException(422), REQUEST);

        assertError(error, 422, ErrorCode.CLIENT_ERROR, null);
        assertThat(error.message()).isEqualTo("the request was rejected with status 422");
    }

    @Test
    void unauthorizedKeepsEveryChallenge() {
        NotAuthorizedException denied = new NotAuthorizedException("authentication required",
                "Basic realm=\"weft\"", "Bearer realm=\"weft\"");

        ApiError error = ApiErrors.toError(denied, REQUEST);

        assertError(error, 401, ErrorCode.UNAUTHORIZED, null);
        assertThat(error.message()).isEqualTo("authentication required");
        assertThat(error.headers()).as("headers")
                .containsExactly(Map.entry("WWW-Authenticate", "Basic realm=\"weft\", Bearer realm=\"weft\""));
    }

    @Test
    void tooManyRequestsKeepsRetryAfter() {
        Response response = Response.status(429).header("Retry-After", "7").build();

        ApiError error = ApiErrors.toError(new ClientErrorException("wait", response), REQUEST);

        assertError(error, 429, ErrorCode.TOO_MANY_REQUESTS, null);
        assertThat(error.headers()).as("headers").containsExactly(Map.entry("Retry-After", "7"));
    }

    @Test
    void serviceUnavailableKeepsStatusAndMessage() {
        ApiError error = ApiErrors.toError(new ServiceUnavailableException("the database is starting"), REQUEST);

        assertError(error, 503, ErrorCode.SERVICE_UNAVAILABLE, null);
        assertThat(error.message()).isEqualTo("the database is starting");
    }

    @Test
    void unexpectedExceptionHidesDetailsAndLogsErrorId() {
        ApiError[] error = new ApiError[1];

        String log = captureStandardError(
                () -> error[0] = ApiErrors.toError(new IllegalStateException("secret detail"), REQUEST));

        assertError(error[0], 500, ErrorCode.INTERNAL_ERROR, null);
        assertThat(error[0].message()).doesNotContain("secret detail")
                .matches("the manager failed to process the request; its log has the details under error id "
                        + "[0-9a-f-]{36}");
        String errorId = error[0].message().substring(error[0].message().lastIndexOf(' ') + 1);
        assertThat(log).contains("REST request POST /api/v1/services failed with error id " + errorId)
                .contains("java.lang.IllegalStateException: secret detail")
                .contains("\tat ");
    }

    @Test
    void serializationFailureIsInternal() {
        Object unserializable = new Object() {
            @SuppressWarnings("unused")
            public Object getSelf() {
                return this;
            }
        };

        ApiError error;
        try {
            MAPPER.writeValueAsString(unserializable);
            error = null;
        } catch (IOException e) {
            error = captureResult(() -> ApiErrors.toError(e, REQUEST));
        }

        assertThat(error).as("error for a response that Jackson cannot write").isNotNull();
        assertError(error, 500, ErrorCode.INTERNAL_ERROR, null);
    }

    @Test
    void status500ExceptionIsInternal() {
        ApiError error = captureResult(() -> ApiErrors.toError(new InternalServerErrorException("boom"), REQUEST));

        assertError(error, 500, ErrorCode.INTERNAL_ERROR, null);
        assertThat(error.message()).doesNotContain("boom");
    }

    @Test
    void circularCauseChainEnds() {
        RuntimeException first = new RuntimeException("first");
        RuntimeException second = new RuntimeException("second", first);
        first.initCause(second);

        ApiError error = captureResult(() -> ApiErrors.toError(first, REQUEST));

        assertError(error, 500, ErrorCode.INTERNAL_ERROR, null);
    }

    @Test
    void responseHasJsonBodyAndHeaders() throws IOException {
        Response response = ApiErrors.toResponse(new NotAllowedException("GET", new String[0]), new RequestLine("PUT", "/api/v1", null));

        assertThat(response.getStatus()).as("status").isEqualTo(405);
        assertThat(response.getMediaType()).as("media type").isEqualTo(MediaType.APPLICATION_JSON_TYPE);
        assertThat(response.getHeaderString("Allow")).as("Allow").isEqualTo("GET");
        assertThat(MAPPER.writeValueAsString(response.getEntity())).isEqualTo(
                "{\"error\":\"method_not_allowed\",\"message\":\"method PUT is not allowed on /api/v1; "
                        + "allowed methods are GET\",\"field\":null}");
    }

    private static ApiError readError(String json, Class<?> type) {
        try {
            Object value = MAPPER.readValue(json, type);
            return fail("expected a read error for %s but got %s", json, value);
        } catch (IOException e) {
            return ApiErrors.toError(e, REQUEST);
        }
    }

    private static String service(String fields) {
        return "{\"port\": 80, \"enabled\": true, " + fields + "}";
    }

    private static void assertError(ApiError error, int status, ErrorCode code, String field) {
        assertThat(error.status()).as("status of %s", error).isEqualTo(status);
        assertThat(error.code()).as("code of %s", error).isEqualTo(code);
        assertThat(error.field()).as("field of %s", error).isEqualTo(field);
    }

    /** Runs an action that logs an internal error, keeping the stack trace out of the test output. */
    private static ApiError captureResult(Supplier<ApiError> action) {
        ApiError[] result = new ApiError[1];
        captureStandardError(() -> result[0] = action.get());
        return result[0];
    }

    /** Returns what the action wrote to standard error, where slf4j-simple logs. */
    private static String captureStandardError(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
