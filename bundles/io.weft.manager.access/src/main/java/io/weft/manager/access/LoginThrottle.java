package io.weft.manager.access;

import io.weft.manager.access.internal.AddressKeys;
import io.weft.manager.access.internal.FailureCounters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Slows down password guessing with exponential backoff, counted separately per user name
 * and per remote address.
 *
 * <p>A key may fail {@link #FREE_FAILURES} times. Each further failure blocks the key for
 * {@link #FIRST_DELAY}, doubled with each failure up to {@link #MAX_DELAY}. A key's count
 * starts again from zero when its last failure is {@link #FAILURE_WINDOW} old. The window is
 * longer than the maximum delay, so an attacker who waits out every delay stays blocked for
 * {@link #MAX_DELAY} after each attempt, about 4 attempts an hour per key.
 *
 * <p>The login flow calls {@link #retryAfter} before it verifies a password and responds with
 * 429 and a Retry-After header when it returns a duration. It then calls {@link #recordFailure}
 * or {@link #recordSuccess}. A success resets only the user name's count: a valid login
 * from an address must not clear that address's failures against other accounts.
 *
 * <p>Memory is bounded: each of the two maps contains at most {@link #MAX_TRACKED_KEYS} keys and
 * drops the key that failed least recently when it is full. IPv6 addresses are counted per /64
 * prefix. Instances are thread-safe; the manager should use one.
 */
public final class LoginThrottle {

    /** Failures that a user name or address may have before backoff starts. */
    public static final int FREE_FAILURES = 5;
    /** Time without a failure after which a key's count starts again from zero. */
    public static final Duration FAILURE_WINDOW = Duration.ofHours(1);
    /** Block after the first failure beyond the free ones. */
    public static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    /** Maximum block after one failure. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);
    /**
     * Maximum number of user names, and separately of addresses, that the throttle tracks. By
     * estimate a key takes about 250 bytes of heap, so both maps full take about 5 MB.
     */
    public static final int MAX_TRACKED_KEYS = 10_000;

    private static final FailureCounters.Limits LIMITS = new FailureCounters.Limits(FREE_FAILURES, FAILURE_WINDOW,
            FIRST_DELAY, MAX_DELAY, MAX_TRACKED_KEYS);

    private final Clock clock;
    private final FailureCounters userNames = new FailureCounters(LIMITS);
    private final FailureCounters addresses = new FailureCounters(LIMITS);

    public LoginThrottle(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Returns how long the caller must wait before the next login attempt for this user name
     * from this address, or empty when it may try now.
     *
     * @param userName      the user name as the client sent it, which need not exist
     * @param remoteAddress the client's IP address, or null when it is unknown
     */
    public synchronized Optional<Duration> retryAfter(String userName, String remoteAddress) {
        Instant now = clock.instant();
        Optional<Duration> byUser = userNames.retryAfter(userKey(userName), now);
        Optional<Duration> byAddress = remoteAddress == null
                ? Optional.empty()
                : addresses.retryAfter(AddressKeys.keyFor(remoteAddress), now);
        if (byUser.isEmpty()) {
            return byAddress;
        }
        if (byAddress.isEmpty()) {
            return byUser;
        }
        return Optional.of(byUser.get().compareTo(byAddress.get()) >= 0 ? byUser.get() : byAddress.get());
    }

    /** Counts a failed login. Call it only for attempts that {@link #retryAfter} allowed. */
    public synchronized void recordFailure(String userName, String remoteAddress) {
        Instant now = clock.instant();
        userNames.recordFailure(userKey(userName), now);
        if (remoteAddress != null) {
            addresses.recordFailure(AddressKeys.keyFor(remoteAddress), now);
        }
    }

    /** Clears the user name's failures after a successful login; the address keeps its count. */
    public synchronized void recordSuccess(String userName) {
        userNames.reset(userKey(userName));
    }

    /** Returns the number of user names and addresses that the throttle currently tracks. */
    public synchronized int trackedKeys() {
        return userNames.size() + addresses.size();
    }

    /**
     * Returns the key of a user name: in lower case as the store compares names, and cut to
     * the maximum length of a user name, so that long invented names cannot fill the heap.
     */
    private static String userKey(String userName) {
        Objects.requireNonNull(userName, "userName");
        String lower = userName.toLowerCase(Locale.ROOT);
        return lower.length() > Principal.MAX_NAME_LENGTH ? lower.substring(0, Principal.MAX_NAME_LENGTH) : lower;
    }
}
