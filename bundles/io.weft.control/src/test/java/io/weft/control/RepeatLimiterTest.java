package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RepeatLimiterTest {

    private static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final AtomicLong now = new AtomicLong(1_000);
    private final RepeatLimiter limiter = new RepeatLimiter(MINUTE, now::get);

    @Test
    void firstFailureOfKeyIsLogged() {
        assertThat(limiter.admit("10.0.0.1 garbage")).isZero();
    }

    @Test
    void repeatsWithinIntervalGoToDebug() {
        limiter.admit("10.0.0.1 garbage");
        now.addAndGet(MINUTE - 1);

        assertThat(limiter.admit("10.0.0.1 garbage")).isEqualTo(-1);
        assertThat(limiter.admit("10.0.0.1 garbage")).isEqualTo(-1);
    }

    @Test
    void nextLogAfterIntervalCountsSuppressed() {
        limiter.admit("10.0.0.1 garbage");
        limiter.admit("10.0.0.1 garbage");
        limiter.admit("10.0.0.1 garbage");
        now.addAndGet(MINUTE);

        assertThat(limiter.admit("10.0.0.1 garbage")).isEqualTo(2);
        assertThat(limiter.admit("10.0.0.1 garbage")).isEqualTo(-1);
    }

    @Test
    void otherKeysAreIndependent() {
        limiter.admit("10.0.0.1 garbage");

        assertThat(limiter.admit("10.0.0.2 garbage")).isZero();
        assertThat(limiter.admit("10.0.0.1 certificate_required")).isZero();
    }

    @Test
    void oldestKeysAreForgotten() {
        limiter.admit("key 0");
        for (int i = 1; i <= RepeatLimiter.MAX_KEYS; i++) {
            limiter.admit("key " + i);
        }

        assertThat(limiter.admit("key 0")).as("a forgotten key logs again").isZero();
    }
}
