package io.weft.node.edge.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Limits and deadlines of running operations. Request/response operations run on the
 * server's thread, at most {@code workerThreads} at once, with a timer that acts at their
 * deadline. Streams run on a pool of their own, so long streams cannot starve short calls, and
 * a stream that passes its deadline is cancelled, which interrupts its thread.
 */
final class OperationInvoker implements AutoCloseable {

    private final Semaphore calls;
    private final int workerThreads;
    private final ScheduledThreadPoolExecutor deadlines;
    private final ThreadPoolExecutor streams;
    private final Clock clock;

    OperationInvoker(int workerThreads, int maxStreams, Clock clock) {
        this.calls = new Semaphore(workerThreads);
        this.workerThreads = workerThreads;
        this.deadlines = new ScheduledThreadPoolExecutor(1, threads("weft-edge-deadline-"));
        this.deadlines.setRemoveOnCancelPolicy(true);
        this.streams = new ThreadPoolExecutor(0, maxStreams, 60, TimeUnit.SECONDS, new SynchronousQueue<>(),
                threads("weft-edge-stream-"));
        this.clock = clock;
    }

    /** Takes one of the call permits, or throws 503 when {@code workerThreads} calls run already. */
    void acquireCall() {
        if (!calls.tryAcquire()) {
            throw new EdgeError(503, "busy", "The node is running its maximum of " + workerThreads
                    + " request/response calls. Try again in a moment.", null);
        }
    }

    void releaseCall() {
        calls.release();
    }

    /** Runs {@code action} at the deadline unless the returned future is cancelled first. */
    ScheduledFuture<?> atDeadline(Instant deadline, Runnable action) {
        long delay = Math.max(0, Duration.between(clock.instant(), deadline).toNanos());
        return deadlines.schedule(action, delay, TimeUnit.NANOSECONDS);
    }

    /** Starts a stream, or throws 503 when the maximum number of streams is open. */
    <T> Future<T> submitStream(Callable<T> stream) {
        try {
            return streams.submit(stream);
        } catch (RejectedExecutionException e) {
            throw new EdgeError(503, "busy", "The node has its maximum number of event streams open. Try again"
                    + " later.", null);
        }
    }

    /**
     * Waits for a started stream until the deadline, and calls {@code idle} on this thread
     * every {@code period} while it runs.
     *
     * @throws TimeoutException after cancelling the stream, which interrupts its thread
     * @throws ExecutionException with the exception of the stream
     */
    void await(Future<?> future, Instant deadline, Duration period, Runnable idle)
            throws TimeoutException, ExecutionException {
        try {
            while (true) {
                long remaining = Duration.between(clock.instant(), deadline).toNanos();
                if (remaining <= 0) {
                    future.cancel(true);
                    throw new TimeoutException("The stream passed its deadline");
                }
                try {
                    future.get(Math.min(remaining, period.toNanos()), TimeUnit.NANOSECONDS);
                    return;
                } catch (TimeoutException e) {
                    idle.run();
                }
            }
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new EdgeError(503, "unavailable", "The node is shutting down the Edge API.", null);
        }
    }

    @Override
    public void close() {
        deadlines.shutdownNow();
        streams.shutdownNow();
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
