package io.weft.node.edge.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs operations on worker threads with a deadline. A call that passes its deadline is
 * cancelled, which interrupts its thread, and the caller gets 504. Its worker returns to the
 * pool when the operation reacts to the interruption. Request/response operations and
 * streams have separate pools, so long streams cannot starve short calls.
 */
final class OperationInvoker implements AutoCloseable {

    private final ThreadPoolExecutor calls;
    private final ThreadPoolExecutor streams;
    private final Clock clock;

    OperationInvoker(int workerThreads, int maxStreams, Clock clock) {
        this.calls = new ThreadPoolExecutor(workerThreads, workerThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(2 * workerThreads), threads("weft-edge-call-"));
        this.calls.allowCoreThreadTimeOut(true);
        this.streams = new ThreadPoolExecutor(0, maxStreams, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads("weft-edge-stream-"));
        this.clock = clock;
    }

    /** Starts a request/response call, or throws 503 when every worker is busy and the queue is full. */
    <T> Future<T> submitCall(Callable<T> call) {
        return submit(calls, call, "request/response calls");
    }

    /** Starts a stream, or throws 503 when the maximum number of streams is open. */
    <T> Future<T> submitStream(Callable<T> stream) {
        return submit(streams, stream, "event streams");
    }

    /**
     * Waits for a started call until the deadline.
     *
     * @throws TimeoutException after cancelling the call, which interrupts its thread
     * @throws ExecutionException with the exception of the call
     */
    <T> T await(Future<T> future, Instant deadline) throws TimeoutException, ExecutionException {
        long remaining = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
        try {
            return future.get(remaining, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw e;
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EdgeError(503, "unavailable", "The node is shutting down the Edge API.", null);
        }
    }

    @Override
    public void close() {
        calls.shutdownNow();
        streams.shutdownNow();
    }

    private static <T> Future<T> submit(ExecutorService executor, Callable<T> task, String kind) {
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw new EdgeError(503, "busy", "The node is running its maximum number of " + kind
                    + ". Try again in a moment.", null);
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
