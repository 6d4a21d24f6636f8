package io.weft.manager.rest.internal.errors;

import java.io.EOFException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.NoContentException;
import javax.ws.rs.core.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.rest.api.PreconditionFailedException;
import io.weft.manager.rest.api.PreconditionRequiredException;
import io.weft.manager.rest.api.StaleVersionException;
import io.weft.manager.rest.internal.body.RequestBodyTooLargeException;

/**
 * The API's one mapping from exceptions to error responses. Both exception mappers delegate
 * here, so every error body has the same shape and every code is chosen in this package.
 *
 * <p>The JAX-RS runtime and Jackson wrap exceptions, so the whole cause chain is searched:
 * first for Weft's own exceptions, then for a JSON read error, then for an empty body. A JAX-RS
 * status exception other than 500 keeps its status. Everything else is an internal error: the
 * client gets a generic message with an error id, and the log gets the id and the stack trace.
 */
final class ApiErrors {

    private static final Logger LOG = LoggerFactory.getLogger(ApiErrors.class);

    /** Bounds the walk along getCause(). */
    private static final int MAX_CAUSE_DEPTH = 16;

    private ApiErrors() {
    }

    static Response toResponse(Throwable thrown, RequestLine request) {
        ApiError error = toError(thrown, request);
        Response.ResponseBuilder response = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorDto(error.code().jsonName(), error.message(), error.field()));
        error.headers().forEach(response::header);
        return response.build();
    }

    static ApiError toError(Throwable thrown, RequestLine request) {
        List<Throwable> chain = causeChain(thrown);
        ApiError error = weftError(chain);
        if (error == null) {
            error = JsonErrors.of(chain);
        }
        if (error == null && chain.stream().anyMatch(ApiErrors::isEarlyEnd)) {
            error = ApiError.of(ErrorCode.BAD_REQUEST, "the request body ended before its Content-Length: the"
                    + " client closed the connection or sent fewer bytes than it declared", null);
        }
        if (error == null && chain.stream().anyMatch(NoContentException.class::isInstance)) {
            error = ApiError.of(ErrorCode.MISSING_BODY, "the request body is empty; send a JSON document", null);
        }
        if (error == null && thrown instanceof WebApplicationException status
                && status.getResponse().getStatus() != 500) {
            error = HttpErrors.of(status, request);
        }

        if (error == null) {
            return internalError(thrown, request);
        }
        LOG.debug("REST request {} {} rejected with status {}: {}", request.method(), request.path(),
                error.status(), error.message());
        return error;
    }

    private static ApiError weftError(List<Throwable> chain) {
        for (Throwable e : chain) {
            if (e instanceof InvalidFieldException invalid) {
                return ApiError.of(ErrorCode.INVALID_FIELD, invalid.getMessage(), invalid.field());
            }
            if (e instanceof StaleVersionException stale) {
                return new ApiError(412, ErrorCode.STALE_VERSION, stale.getMessage(), ETags.IF_MATCH,
                        Map.of(HttpHeaders.ETAG, ETags.of(stale.currentVersion()).toString()));
            }
            if (e instanceof PreconditionFailedException failed) {
                return ApiError.of(ErrorCode.PRECONDITION_FAILED, failed.getMessage(), ETags.IF_MATCH);
            }
            if (e instanceof PreconditionRequiredException missing) {
                return ApiError.of(ErrorCode.PRECONDITION_REQUIRED, missing.getMessage(), ETags.IF_MATCH);
            }
            if (e instanceof RequestBodyTooLargeException tooLarge) {
                return ApiError.of(ErrorCode.BODY_TOO_LARGE, tooLarge.getMessage(), null);
            }
        }
        return null;
    }

    /**
     * Returns whether the exception reports a body that ended early: Jetty's EofException,
     * checked by name because the REST bundle does not import Jetty, or the JDK's EOFException.
     */
    private static boolean isEarlyEnd(Throwable e) {
        return e instanceof EOFException || e.getClass().getName().equals("org.eclipse.jetty.io.EofException");
    }

    private static ApiError internalError(Throwable thrown, RequestLine request) {
        String errorId = UUID.randomUUID().toString();
        LOG.error("REST request {} {} failed with error id {}", request.method(), request.path(), errorId, thrown);
        return ApiError.of(ErrorCode.INTERNAL_ERROR, "the manager failed to process the request; "
                + "its log has the details under error id " + errorId, null);
    }

    /** Lists the exception and its causes, outermost first, without repeating one. */
    private static List<Throwable> causeChain(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable e = thrown; e != null && chain.size() < MAX_CAUSE_DEPTH && seen.add(e); e = e.getCause()) {
            chain.add(e);
        }
        return chain;
    }
}
