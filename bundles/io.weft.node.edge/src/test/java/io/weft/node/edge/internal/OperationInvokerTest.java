package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OperationInvokerTest {

    private final OperationInvoker invoker = new OperationInvoker(1, 1, Clock.systemUTC());

    @AfterEach
    void close() {
        invoker.close();
    }

    @Test
    void idleRunsWhileStreamWaits() throws Exception {
        CountDownLatch idled = new CountDownLatch(3);
        Future<Object> stream = invoker.submitStream(() -> idled.await(10, TimeUnit.SECONDS));

        invoker.await(stream, Instant.now().plusSeconds(10), Duration.ofMillis(10), idled::countDown);

        assertThat(idled.getCount()).isZero();
    }

    @Test
    void deadlineInterruptsStream() throws InterruptedException {
        CountDownLatch interrupted = new CountDownLatch(1);
        Future<Object> stream = invoker.submitStream(() -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return null;
        });

        assertThatThrownBy(() -> invoker.await(stream, Instant.now().plusMillis(100), Duration.ofSeconds(1), () -> { }))
                .isInstanceOf(TimeoutException.class);
        assertThat(interrupted.await(5, TimeUnit.SECONDS)).as("stream thread interrupted").isTrue();
    }

    @Test
    void streamFailurePassesThrough() {
        Future<Object> stream = invoker.submitStream(() -> {
            throw new IllegalStateException("sensor unplugged");
        });

        assertThatThrownBy(() -> invoker.await(stream, Instant.now().plusSeconds(10), Duration.ofSeconds(1), () -> { }))
                .isInstanceOf(ExecutionException.class).hasRootCauseMessage("sensor unplugged");
    }

    @Test
    void callsBeyondLimitGet503() {
        invoker.acquireCall();

        assertThatThrownBy(invoker::acquireCall).isInstanceOf(EdgeError.class)
                .hasMessageContaining("maximum of 1 request/response calls")
                .extracting(error -> ((EdgeError) error).status()).isEqualTo(503);
    }

    @Test
    void releasedCallPermitIsReused() {
        invoker.acquireCall();
        invoker.releaseCall();

        assertThatCode(invoker::acquireCall).doesNotThrowAnyException();
    }

    @Test
    void timerRunsAtDeadline() throws InterruptedException {
        CountDownLatch ran = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();

        invoker.atDeadline(Instant.now().plusMillis(50), () -> {
            runs.incrementAndGet();
            ran.countDown();
        });

        assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(runs.get()).isEqualTo(1);
    }
}
