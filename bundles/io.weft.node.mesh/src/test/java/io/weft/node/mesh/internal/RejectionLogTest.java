package io.weft.node.mesh.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RejectionLogTest {

    private final AtomicLong nanos = new AtomicLong();
    private final RejectionLog log = new RejectionLog(Duration.ofMinutes(1), nanos::get);

    @Test
    void repeatsWithinIntervalNotWarned() {
        assertThat(log.rejected("edge-b.east.acme.example")).as("first rejection").isTrue();

        nanos.addAndGet(Duration.ofSeconds(59).toNanos());

        assertThat(log.rejected("edge-b.east.acme.example")).as("rejection after 59 s").isFalse();
        assertThat(log.rejected("edge-c.east.acme.example")).as("first rejection of another peer").isTrue();
    }

    @Test
    void rejectionAfterIntervalWarnedAgain() {
        log.rejected("edge-b.east.acme.example");

        nanos.addAndGet(Duration.ofSeconds(60).toNanos());

        assertThat(log.rejected("edge-b.east.acme.example")).as("rejection after 60 s").isTrue();
    }
}
