package io.weft.manager.control.internal;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects recompilation requests and runs them on one worker thread. Requests that arrive
 * while a run is going on are merged into the next run, so a burst of changes costs at most
 * one run more than a single change.
 */
final class CompileQueue implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CompileQueue.class);

    private final Consumer<Recompilation> work;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "weft-control-compile");
        thread.setDaemon(true);
        return thread;
    });

    private boolean allNodes;
    private final Set<String> domainSubtrees = new HashSet<>();
    private final Set<String> nodeIds = new HashSet<>();
    private boolean runQueued;
    private long requested;
    private long completed;

    CompileQueue(Consumer<Recompilation> work) {
        this.work = Objects.requireNonNull(work, "work");
    }

    void requestAll() {
        request(() -> allNodes = true);
    }

    void requestSubtree(String domain) {
        request(() -> domainSubtrees.add(domain));
    }

    void requestNode(String nodeId) {
        request(() -> nodeIds.add(nodeId));
    }

    /**
     * Waits until every request made before this call has been compiled.
     *
     * @return false when the time ran out first
     */
    synchronized boolean awaitCompiled(long timeoutMillis) throws InterruptedException {
        long target = requested;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (completed < target) {
            long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remaining <= 0) {
                return false;
            }
            wait(remaining);
        }
        return true;
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }

    private synchronized void request(Runnable merge) {
        merge.run();
        requested++;
        if (!runQueued) {
            runQueued = true;
            worker.execute(this::runPending);
        }
    }

    private void runPending() {
        Recompilation next;
        long covered;
        synchronized (this) {
            next = new Recompilation(allNodes, domainSubtrees, nodeIds);
            covered = requested;
            allNodes = false;
            domainSubtrees.clear();
            nodeIds.clear();
            runQueued = false;
        }

        try {
            work.accept(next);
        } catch (RuntimeException e) {
            LOG.error("Desired state: recompiling {} failed; the nodes keep their last state until the next change",
                    next, e);
        } finally {
            synchronized (this) {
                completed = Math.max(completed, covered);
                notifyAll();
            }
        }
    }
}
