package io.weft.node.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.node.agent.internal.RenewalSchedule.Phase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {

    private static final Instant NOT_BEFORE = Instant.parse("2027-03-01T00:00:00Z");
    private static final Instant NOT_AFTER = NOT_BEFORE.plus(Duration.ofDays(30));
    /** An arbitrary System.nanoTime() value, close to overflow, as the JVM may return. */
    private static final long NANO_NOW = Long.MAX_VALUE - Duration.ofDays(1).toNanos();

    @Test
    void renewsAtTwoThirdsOfLifetime() {
        RenewalSchedule schedule = RenewalSchedule.of(NOT_BEFORE, NOT_AFTER, NOT_BEFORE, NANO_NOW);

        assertThat(schedule.untilRenewal(NANO_NOW)).isEqualTo(Duration.ofDays(20));
        assertThat(schedule.untilWarning(NANO_NOW)).isEqualTo(Duration.ofDays(27));
        assertThat(schedule.untilExpiry(NANO_NOW)).isEqualTo(Duration.ofDays(30));
    }

    @Test
    void phasesFollowElapsedTime() {
        RenewalSchedule schedule = RenewalSchedule.of(NOT_BEFORE, NOT_AFTER, NOT_BEFORE, NANO_NOW);

        assertThat(schedule.phase(NANO_NOW)).isEqualTo(Phase.VALID);
        assertThat(schedule.phase(after(Duration.ofDays(20).minusNanos(1)))).isEqualTo(Phase.VALID);
        assertThat(schedule.phase(after(Duration.ofDays(20)))).isEqualTo(Phase.RENEW);
        assertThat(schedule.phase(after(Duration.ofDays(27)))).isEqualTo(Phase.WARN);
        assertThat(schedule.phase(after(Duration.ofDays(30)))).isEqualTo(Phase.EXPIRED);
    }

    @Test
    void certificateLoadedLateHasLessTimeLeft() {
        Instant loadedAt = NOT_BEFORE.plus(Duration.ofDays(5));

        RenewalSchedule schedule = RenewalSchedule.of(NOT_BEFORE, NOT_AFTER, loadedAt, NANO_NOW);

        assertThat(schedule.untilRenewal(NANO_NOW)).isEqualTo(Duration.ofDays(15));
        assertThat(schedule.phase(NANO_NOW)).isEqualTo(Phase.VALID);
    }

    @Test
    void loadedAfterTwoThirdsIsDue() {
        Instant loadedAt = NOT_BEFORE.plus(Duration.ofDays(28));

        RenewalSchedule schedule = RenewalSchedule.of(NOT_BEFORE, NOT_AFTER, loadedAt, NANO_NOW);

        assertThat(schedule.untilRenewal(NANO_NOW)).isZero();
        assertThat(schedule.phase(NANO_NOW)).isEqualTo(Phase.WARN);
        assertThat(schedule.untilExpiry(NANO_NOW)).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void expiredCertificateIsExpiredAtOnce() {
        RenewalSchedule schedule = RenewalSchedule.of(NOT_BEFORE, NOT_AFTER, NOT_AFTER.plusSeconds(1), NANO_NOW);

        assertThat(schedule.phase(NANO_NOW)).isEqualTo(Phase.EXPIRED);
    }

    @Test
    void wallClockJumpAfterLoadingChangesNothing() {
        RenewalSchedule schedule = RenewalSchedule.of(NOT_BEFORE, NOT_AFTER, NOT_BEFORE, NANO_NOW);
        // The schedule keeps no wall-clock time, so only elapsed nanoseconds move it: ten days on the
        // wall clock with one day of elapsed time is still one day.
        long oneDayLater = after(Duration.ofDays(1));

        assertThat(schedule.phase(oneDayLater)).isEqualTo(Phase.VALID);
        assertThat(schedule.untilRenewal(oneDayLater)).isEqualTo(Duration.ofDays(19));
    }

    @Test
    void hugeLifetimeDoesNotOverflow() {
        Instant farFuture = NOT_BEFORE.plus(Duration.ofDays(365L * 400));

        RenewalSchedule schedule = RenewalSchedule.of(NOT_BEFORE, farFuture, NOT_BEFORE, NANO_NOW);

        assertThat(schedule.phase(NANO_NOW)).isEqualTo(Phase.VALID);
        assertThat(schedule.untilRenewal(NANO_NOW)).isPositive();
    }

    private static long after(Duration elapsed) {
        return NANO_NOW + elapsed.toNanos();
    }
}
