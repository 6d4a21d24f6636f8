package io.weft.node.edge.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeoutException;

import javax.servlet.AsyncContext;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.app.api.OperationException;
import io.weft.app.api.OperationResult;

/**
 * Runs one authorized call and writes its outcome: the result as JSON, the app's
 * {@link OperationException} with its status, 500 for any other exception, whose message only
 * the log gets, and 504 at the deadline. A request/response operation runs on the server's
 * thread, and a stream on a thread of the stream pool. A stream responds with
 * {@code text/event-stream} once the operation sends its first event.
 */
final class CallRunner {

    private static final Logger LOG = LoggerFactory.getLogger(CallRunner.class);

    /** Time between heartbeat comments of a stream, half the listener's idle timeout. */
    static final Duration HEARTBEAT_PERIOD = EdgeServer.IDLE_TIMEOUT.dividedBy(2);

    private final OperationInvoker invoker;

    CallRunner(OperationInvoker invoker) {
        this.invoker = invoker;
    }

    /** Runs the call and ends {@code flow} with the status of the response that the caller gets. */
    void run(RegisteredOperation registered, EdgeRequest request, HttpServletRequest servletRequest,
            HttpServletResponse response, CallFlow flow) throws IOException {
        if (registered.streaming() != null) {
            stream(registered, request, response, flow);
        } else {
            call(registered, request, servletRequest, response, flow);
        }
    }

    /**
     * Runs a request/response operation on this thread, which saves two thread switches per
     * call. The response is asynchronous, so that at the deadline the timer thread can send
     * 504 and complete it while the operation still runs. The operation's thread is then
     * interrupted, and its result is dropped.
     */
    private void call(RegisteredOperation registered, EdgeRequest request, HttpServletRequest servletRequest,
            HttpServletResponse response, CallFlow flow) {
        invoker.acquireCall();
        try {
            AsyncContext async = servletRequest.startAsync();
            async.setTimeout(0);
            CallGuard guard = new CallGuard(Thread.currentThread());
            ScheduledFuture<?> timer = invoker.atDeadline(request.deadline(), () -> {
                if (guard.expire()) {
                    complete(async, response, deadlinePassed(registered), flow);
                }
            });
            Object outcome = outcome(registered, request);
            boolean first = guard.finish();
            timer.cancel(false);
            if (first) {
                complete(async, response, outcome, flow);
            }
        } finally {
            invoker.releaseCall();
        }
    }

    /** Returns the operation's result as JSON bytes with their status, or the {@link EdgeError} to send. */
    private static Object outcome(RegisteredOperation registered, EdgeRequest request) {
        try {
            OperationResult result = registered.operation().call(request);
            if (result == null) {
                return failure(registered, request, new IllegalStateException("The operation returned null"));
            }
            byte[] body = result.status() == 204 || result.body() == null ? null : Json.write(result.body());
            return new JsonResponse(result.status(), body);
        } catch (OperationException | RuntimeException e) {
            return failure(registered, request, e);
        } catch (StackOverflowError | LinkageError e) {
            // A runaway recursion or a missing class of the app must not take the server's thread with it.
            return failure(registered, request, e);
        }
    }

    private record JsonResponse(int status, byte[] body) {
    }

    private static void complete(AsyncContext async, HttpServletResponse response, Object outcome, CallFlow flow) {
        int status;
        try {
            if (outcome instanceof JsonResponse json) {
                status = json.status();
                EdgeApiHandler.writeJson(response, status, json.body());
            } else {
                status = ((EdgeError) outcome).status();
                EdgeApiHandler.writeError(response, (EdgeError) outcome);
            }
            flow.finish(status);
        } catch (IOException e) {
            LOG.debug("Edge API: writing the response failed, the caller probably left: {}", e.getMessage());
            flow.finish(response.getStatus());
        } finally {
            async.complete();
        }
    }

    /**
     * Runs a stream. A stream that ends before its first event with an {@link EdgeError} leaves
     * {@code flow} to the handler, which sends the error. Any other end finishes it here.
     */
    private void stream(RegisteredOperation registered, EdgeRequest request, HttpServletResponse response,
            CallFlow flow) throws IOException {
        StreamResponse events = new StreamResponse(response);
        Future<Void> future = invoker.submitStream(() -> {
            registered.streaming().stream(request, events);
            return null;
        });
        try {
            awaitStream(registered, request, events, future);
        } catch (IOException e) {
            flow.finish(response.getStatus());
            throw e;
        } finally {
            events.close();
        }
        flow.finish(response.getStatus());
    }

    private void awaitStream(RegisteredOperation registered, EdgeRequest request, StreamResponse events,
            Future<Void> future) throws IOException {
        try {
            // Heartbeats go out from this thread, so a caller that reads slowly holds up only its own stream.
            invoker.await(future, request.deadline(), HEARTBEAT_PERIOD, events::heartbeat);
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
