package io.weft.manager.control.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.weft.manager.store.ControlStore;
import io.weft.manager.store.StoreTransactions;

class ControlStateFlusherTest {

    private static final Instant NOW = Instant.parse("2026-12-05T08:00:00Z");

    @Test
    void closeLetsRunningFlushFinish() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        List<Map<String, Instant>> written = new CopyOnWriteArrayList<>();
        ControlStore store = mock(ControlStore.class);
        doAnswer(invocation -> {
            written.add(Map.copyOf(invocation.getArgument(0)));
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            return null;
        }).when(store).recordLastSeen(anyMap());
        NodeSessions sessions = new NodeSessions();
        sessions.seen("node-1", NOW);
        ControlStateFlusher flusher = new ControlStateFlusher(store, mock(StoreTransactions.class), sessions,
                Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));
        flusher.start(Duration.ofMillis(10));
        assertThat(writing.await(10, TimeUnit.SECONDS)).as("first batched write started").isTrue();
        sessions.seen("node-2", NOW);

        Thread closer = new Thread(flusher::close, "closer");
        closer.start();
        awaitWaiting(closer);
        release.countDown();
        closer.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(closer.isAlive()).as("close returned").isFalse();
        assertThat(interrupted).as("the running write was interrupted").isFalse();
        assertThat(written).containsExactly(Map.of("node-1", NOW), Map.of("node-2", NOW));
    }

    /** Waits until {@code thread} blocks, here in close's wait for the running write. */
    private static void awaitWaiting(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline || !thread.isAlive()) {
                break;
            }
            Thread.sleep(5);
        }
    }
}
