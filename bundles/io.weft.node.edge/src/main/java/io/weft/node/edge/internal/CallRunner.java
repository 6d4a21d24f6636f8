package io.weft.node.edge.internal;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;

import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.app.api.OperationException;
import io.weft.app.api.OperationResult;

/**
 * Runs one authorized call on a worker thread and writes its outcome: the result as JSON, the
 * app's {@link OperationException} with its status, 500 for any other exception, whose message
 * only the log gets, and 504 at the deadline. A stream responds with {@code text/event-stream}
 * once the operation sends its first event.
 */
final class CallRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CallRunner.class);

    private final OperationInvoker invoker;

    CallRunner(OperationInvoker invoker) {
        this.invoker = invoker;
    }

    void run(RegisteredOperation registered, EdgeRequest request, HttpServletResponse response) throws IOException {
        if (registered.streaming() != null) {
            stream(registered, request, response);
        } else {
            call(registered, request, response);
        }
    }

    private void call(RegisteredOperation registered, EdgeRequest request, HttpServletResponse response)
            throws IOException {
        Future<OperationResult> future = invoker.submitCall(() -> registered.operation().call(request));
        OperationResult result;
        try {
            result = invoker.await(future, request.deadline());
        } catch (TimeoutException e) {
            throw deadlinePassed(registered);
        } catch (ExecutionException e) {
            throw failure(registered, request, e.getCause());
        }
        if (result == null) {
            throw failure(registered, request, new IllegalStateException("The operation returned null"));
        }
        byte[] body;
        try {
            body = result.status() == 204 || result.body() == null ? null : Json.write(result.body());
        } catch (IllegalArgumentException e) {
            throw failure(registered, request, e);
        }
        EdgeApiHandler.writeJson(response, result.status(), body);
    }

    private void stream(RegisteredOperation registered, EdgeRequest request, HttpServletResponse response)
            throws IOException {
        StreamResponse events = new StreamResponse(response);
        Future<Void> future = invoker.submitStream(() -> {
            registered.streaming().stream(request, events);
            return null;
        });
        try {
            invoker.await(future, request.deadline());
        } catch (TimeoutException e) {
            events.close();
            if (!events.started()) {
                throw deadlinePassed(registered);
            }
        } catch (ExecutionException e) {
            EdgeError error = failure(registered, request, e.getCause());
            if (!events.started()) {
                events.close();
                throw error;
            }
            events.sendFinal("error", Json.MAPPER.readValue(Json.error(error.code(), error.getMessage(),
                    error.field()), Object.class));
        }
        events.close();
    }

    private static EdgeError deadlinePassed(RegisteredOperation registered) {
        LOG.warn("Edge API: operation '{}' passed its deadline; its thread was interrupted",
                registered.declaration().operation());
        return new EdgeError(504, "deadline_exceeded", "The operation '" + registered.declaration().operation()
                + "' did not return before its deadline.", null);
    }

    private static EdgeError failure(RegisteredOperation registered, EdgeRequest request, Throwable cause) {
        if (cause instanceof OperationException app) {
            return new EdgeError(app.status(), app.code(), app.getMessage(), app.field().orElse(null));
        }
        if (cause instanceof EdgeError edge) {
            return edge;
        }
        LOG.error("Edge API: operation '{}' failed for {}", registered.declaration().operation(), request.caller(),
                cause);
        return new EdgeError(500, "operation_failed", "The operation '" + registered.declaration().operation()
                + "' failed. The node's log has the details.", null);
    }
}
