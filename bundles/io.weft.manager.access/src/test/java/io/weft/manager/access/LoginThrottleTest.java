package io.weft.manager.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private static final String ADDRESS = "192.0.2.10";
    private static final String OTHER_ADDRESS = "198.51.100.7";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock);

    @Test
    void allowsFreeFailures() {
        fail("alice", ADDRESS, LoginThrottle.FREE_FAILURES);

        assertThat(throttle.retryAfter("alice", ADDRESS)).isEmpty();
    }

    @Test
    void backoffDoublesUntilMaximum() {
        fail("alice", ADDRESS, LoginThrottle.FREE_FAILURES);

        long[] expectedSeconds = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900};
        for (long seconds : expectedSeconds) {
            throttle.recordFailure("alice", ADDRESS);

            assertThat(throttle.retryAfter("alice", ADDRESS)).contains(Duration.ofSeconds(seconds));
            clock.advance(Duration.ofSeconds(seconds));
            assertThat(throttle.retryAfter("alice", ADDRESS)).isEmpty();
        }
    }

    @Test
    void retryAfterCountsDown() {
        fail("alice", ADDRESS, LoginThrottle.FREE_FAILURES + 3);

        clock.advance(Duration.ofSeconds(3));

        assertThat(throttle.retryAfter("alice", ADDRESS)).contains(Duration.ofSeconds(1));
    }

    @Test
    void successResetsUserName() {
        fail("alice", ADDRESS, LoginThrottle.FREE_FAILURES + 1);
        clock.advance(Duration.ofSeconds(1));

        throttle.recordSuccess("alice", ADDRESS);

        assertThat(throttle.retryAfter("alice", ADDRESS)).isEmpty();
    }

    @Test
    void successKeepsAddressCount() {
        for (int i = 0; i <= LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            throttle.recordFailure("user" + i, ADDRESS);
        }

        throttle.recordSuccess("alice", ADDRESS);

        assertThat(throttle.retryAfter("carol", ADDRESS)).contains(Duration.ofSeconds(1));
    }

    @Test
    void otherUserFromSameAddressIsNotDelayed() {
        fail("alice", ADDRESS, LoginThrottle.FREE_FAILURES + 1);

        assertThat(throttle.retryAfter("alice", ADDRESS)).contains(Duration.ofSeconds(1));
        assertThat(throttle.retryAfter("bob", ADDRESS)).isEmpty();
        assertThat(throttle.retryAfter("alice", OTHER_ADDRESS)).isEmpty();
    }

    @Test
    void userNameBlockedFromEveryAddress() {
        for (int i = 0; i <= LoginThrottle.USER_FREE_FAILURES; i++) {
            throttle.recordFailure("alice", "10.0.0." + i);
        }

        assertThat(throttle.retryAfter("alice", OTHER_ADDRESS)).contains(Duration.ofSeconds(1));
        assertThat(throttle.retryAfter("ALICE", null)).contains(Duration.ofSeconds(1));
        assertThat(throttle.retryAfter("bob", OTHER_ADDRESS)).isEmpty();
    }

    @Test
    void addressBlockedForEveryUserName() {
        for (int i = 0; i <= LoginThrottle.ADDRESS_FREE_FAILURES; i++) {
            throttle.recordFailure("user" + i, ADDRESS);
        }

        assertThat(throttle.retryAfter("carol", ADDRESS)).contains(Duration.ofSeconds(1));
        assertThat(throttle.retryAfter("carol", OTHER_ADDRESS)).isEmpty();
    }

    @Test
    void ipv6CountedPerSlash64() {
        for (int i = 1; i <= LoginThrottle.ADDRESS_FREE_FAILURES + 1; i++) {
            throttle.recordFailure("user" + i, "2001:db8:0:7::" + Integer.toHexString(i));
        }

        assertThat(throttle.retryAfter("carol", "2001:db8:0:7:ffff::1")).contains(Duration.ofSeconds(1));
        assertThat(throttle.retryAfter("carol", "2001:db8:0:8::1")).isEmpty();
    }

    @Test
    void countRestartsAfterQuietWindow() {
        fail("alice", ADDRESS, LoginThrottle.FREE_FAILURES);

        clock.advance(LoginThrottle.FAILURE_WINDOW);
        fail("alice", ADDRESS, LoginThrottle.FREE_FAILURES);

        assertThat(throttle.retryAfter("alice", ADDRESS)).isEmpty();
    }

    @Test
    void countContinuesWithinWindow() {
        fail("alice", ADDRESS, LoginThrottle.FREE_FAILURES);

        clock.advance(LoginThrottle.FAILURE_WINDOW.minusSeconds(1));
        throttle.recordFailure("alice", ADDRESS);

        assertThat(throttle.retryAfter("alice", ADDRESS)).contains(Duration.ofSeconds(1));
    }

    @Test
    void clockJumpBackBlocksAtMostMaximum() {
        fail("alice", ADDRESS, LoginThrottle.FREE_FAILURES + 1);

        clock.advance(Duration.ofDays(-1));

        assertThat(throttle.retryAfter("alice", ADDRESS)).contains(LoginThrottle.MAX_DELAY);
    }

    @Test
    void capEvictsLeastRecentUserName() {
        fail("victim", null, LoginThrottle.FREE_FAILURES + 1);
        clock.advance(Duration.ofMillis(1));

        for (int i = 0; i < LoginThrottle.MAX_TRACKED_KEYS; i++) {
            throttle.recordFailure("user" + i, null);
        }

        assertThat(throttle.trackedKeys()).as("user names and user names from the unknown address")
                .isEqualTo(2 * LoginThrottle.MAX_TRACKED_KEYS);
        assertThat(throttle.retryAfter("victim", null)).isEmpty();
    }

    @Test
    void capsTrackedAddresses() {
        for (int i = 0; i < LoginThrottle.MAX_TRACKED_KEYS + 5; i++) {
            throttle.recordFailure("alice", "10." + (i >> 16) + "." + ((i >> 8) & 255) + "." + (i & 255));
        }

        assertThat(throttle.trackedKeys()).as("one user name, and the maximum of pairs and of addresses")
                .isEqualTo(1 + 2 * LoginThrottle.MAX_TRACKED_KEYS);
    }

    @Test
    void dropsExpiredKeys() {
        fail("alice", ADDRESS, 1);
        fail("bob", ADDRESS, 1);

        clock.advance(LoginThrottle.FAILURE_WINDOW);
        throttle.recordFailure("carol", OTHER_ADDRESS);

        assertThat(throttle.trackedKeys()).as("carol, carol from the other address, and that address").isEqualTo(3);
    }

    @Test
    void truncatesLongUserNames() {
        String longName = "x".repeat(100_000);

        fail(longName, null, LoginThrottle.FREE_FAILURES + 1);

        assertThat(throttle.retryAfter("x".repeat(Principal.MAX_NAME_LENGTH), null)).isPresent();
    }

    private void fail(String userName, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.recordFailure(userName, address);
        }
    }
}
