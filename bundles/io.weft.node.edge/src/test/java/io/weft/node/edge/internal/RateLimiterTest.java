package io.weft.node.edge.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong nanos = new AtomicLong();
    private final RateLimiter limiter = new RateLimiter(10, 3, nanos::get);

    @Test
    void allowsBurstThenRejects() {
        assertThat(limiter.tryAcquire("client:ci")).isTrue();
        assertThat(limiter.tryAcquire("client:ci")).isTrue();
        assertThat(limiter.tryAcquire("client:ci")).isTrue();

        assertThat(limiter.tryAcquire("client:ci")).isFalse();
    }

    @Test
    void refillsAtRate() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("client:ci");
        }

        nanos.addAndGet(99_000_000);
        boolean before = limiter.tryAcquire("client:ci");
        nanos.addAndGet(1_000_000);
        boolean after = limiter.tryAcquire("client:ci");

        assertThat(before).as("after 99 ms at 10 calls/s").isFalse();
        assertThat(after).as("after 100 ms at 10 calls/s").isTrue();
    }

    @Test
    void keepsCallersApart() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire("client:ci");
        }

        assertThat(limiter.tryAcquire("node:n2.edge.example")).isTrue();
    }

    @Test
    void refillNeverPassesBurst() {
        nanos.addAndGet(60_000_000_000L);

        int allowed = 0;
        while (limiter.tryAcquire("client:ci")) {
            allowed++;
        }

        assertThat(allowed).isEqualTo(3);
    }

    @Test
    void boundsNumberOfBuckets() {
        for (int i = 0; i < RateLimiter.MAX_CALLERS + 10; i++) {
            assertThat(limiter.tryAcquire("client:c" + i)).isTrue();
        }
    }

    @Test
    void rejectsInvalidRate() {
        assertThatThrownBy(() -> new RateLimiter(0, 1, nanos::get)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid rate 0.0/s");
    }
}
