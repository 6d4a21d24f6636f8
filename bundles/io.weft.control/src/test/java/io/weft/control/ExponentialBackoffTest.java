package io.weft.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExponentialBackoffTest {

    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(60);

    @Test
    void delaysStayWithinDoublingCeilingAndCap() {
        ExponentialBackoff backoff = new ExponentialBackoff(BASE, CAP, new Random(42));

        for (int failure = 0; failure < 200; failure++) {
            long ceiling = Math.min(CAP.toMillis(), 100L << Math.min(failure, 40));
            Duration delay = backoff.nextDelay();

            assertThat(delay.toMillis()).as("delay after %d failures", failure).isBetween(0L, ceiling);
        }
        assertThat(backoff.failures()).isEqualTo(200);
    }

    @Test
    void ceilingDoublesUntilCap() {
        ExponentialBackoff backoff = new ExponentialBackoff(BASE, CAP, new Random(1));

        assertThat(backoff.ceilingMillis(0)).isEqualTo(100);
        assertThat(backoff.ceilingMillis(1)).isEqualTo(200);
        assertThat(backoff.ceilingMillis(9)).isEqualTo(51_200);
        assertThat(backoff.ceilingMillis(10)).isEqualTo(60_000);
        assertThat(backoff.ceilingMillis(62)).isEqualTo(60_000);
        assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(60_000);
    }

    @Test
    void resetStartsFromBaseAgain() {
        ExponentialBackoff backoff = new ExponentialBackoff(BASE, CAP, new Random(7));
        for (int i = 0; i < 20; i++) {
            backoff.nextDelay();
        }

        backoff.reset();

        assertThat(backoff.failures()).isZero();
        for (int i = 0; i < 1_000; i++) {
            backoff.reset();
            assertThat(backoff.nextDelay().toMillis()).isBetween(0L, 100L);
        }
    }

    @Test
    void jitterCoversWholeRangeUniformly() {
        Random random = new Random(20240601L);
        ExponentialBackoff backoff = new ExponentialBackoff(Duration.ofMillis(1_000), Duration.ofMillis(1_000), random);
        int samples = 20_000;
        int[] deciles = new int[10];
        long sum = 0;

        for (int i = 0; i < samples; i++) {
            long delay = backoff.nextDelay().toMillis();
            sum += delay;
            deciles[(int) Math.min(9, delay / 100)]++;
        }

        assertThat((double) sum / samples).as("mean delay in ms").isBetween(485.0, 515.0);
        for (int decile = 0; decile < 10; decile++) {
            assertThat(deciles[decile]).as("samples in decile %d", decile).isBetween(1_800, 2_200);
        }
    }

    @Test
    void sameSeedGivesSameDelays() {
        ExponentialBackoff first = new ExponentialBackoff(BASE, CAP, new Random(99));
        ExponentialBackoff second = new ExponentialBackoff(BASE, CAP, new Random(99));

        for (int i = 0; i < 30; i++) {
            assertThat(first.nextDelay()).isEqualTo(second.nextDelay());
        }
    }

    @Test
    void rejectsInvalidBounds() {
        assertThatThrownBy(() -> new ExponentialBackoff(Duration.ZERO, CAP, new Random()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("base must be at least 1 ms, but is PT0S");
        assertThatThrownBy(() -> new ExponentialBackoff(CAP, BASE, new Random()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cap (PT0.1S) must not be shorter than base (PT1M)");
        assertThatThrownBy(() -> new ExponentialBackoff(BASE, CAP, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("random");
    }
}
