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
 * Slows down password guessing with exponential backoff, counted on three keys: a user name
 * from one address, a user name from any address, and an address for any user name.
 *
 * <p>A user name from one address may fail {@link #FREE_FAILURES} times, so an operator who
 * mistypes a password slows down only itself, not colleagues behind the same address. A user
 * name may fail {@link #USER_FREE_FAILURES} times in all, which stops guessing one account from
 * many addresses, and an address {@link #ADDRESS_FREE_FAILURES} times in all, which stops trying
 * one password on many accounts. Each further failure of a key blocks it for
 * {@link #FIRST_DELAY}, doubled with each failure up to {@link #MAX_DELAY}. A key's count
 * starts again from zero when its last failure is {@link #FAILURE_WINDOW} old. The window is
 * longer than the maximum delay, so an attacker who waits out every delay stays blocked for
 * {@link #MAX_DELAY} after each attempt, about 4 attempts an hour per key.
 *
 * <p>The login flow calls {@link #retryAfter} before it verifies a password and responds with
 * 429 and a Retry-After header when it returns a duration. It then calls {@link #recordFailure}
 * or {@link #recordSuccess}. A success resets the user name's counts: a valid login from an
 * address must not clear that address's failures against other accounts.
 *
 * <p>Memory is bounded: each of the three maps contains at most {@link #MAX_TRACKED_KEYS} keys
 * and drops the key that failed least recently when it is full. IPv6 addresses are counted per
 * /64 prefix. Instances are thread-safe; the manager should use one.
 */
public final class LoginThrottle {

    /** Failures that a user name may have from one address before backoff starts. */
    public static final int FREE_FAILURES = 5;
    /** Failures that a user name may have from all addresses together before backoff starts. */
    public static final int USER_FREE_FAILURES = 20;
    /** Failures that an address may have for all user names together before backoff starts. */
    public static final int ADDRESS_FREE_FAILURES = 50;
    /** Time without a failure after which a key's count starts again from zero. */
    public static final Duration FAILURE_WINDOW = Duration.ofHours(1);
    /** Block after the first failure beyond the free ones. */
    public static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    /** Maximum block after one failure. */
    public static final Duration MAX_DELAY = Duration.ofMinutes(15);
    /**
     * Maximum number of keys of each kind that the throttle tracks. By estimate a key takes
     * about 250 bytes of heap, so the three maps full take about 8 MB.
     */
    public static final int MAX_TRACKED_KEYS = 10_000;

    /** Address part of the key of a login whose address is unknown. */
    private static final String UNKNOWN_ADDRESS = "unknown";

    private final Clock clock;
    private final FailureCounters userNamesFromAddress = new FailureCounters(limits(FREE_FAILURES));
    private final FailureCounters userNames = new FailureCounters(limits(USER_FREE_FAILURES));
    private final FailureCounters addresses = new FailureCounters(limits(ADDRESS_FREE_FAILURES));

    public LoginThrottle(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    private static FailureCounters.Limits limits(int freeFailures) {
        return new FailureCounters.Limits(freeFailures, FAILURE_WINDOW, FIRST_DELAY, MAX_DELAY, MAX_TRACKED_KEYS);
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
        String user = userKey(userName);

        Optional<Duration> longest = userNamesFromAddress.retryAfter(pairKey(user, remoteAddress), now);
        longest = longer(longest, userNames.retryAfter(user, now));
        if (remoteAddress != null) {
            longest = longer(longest, addresses.retryAfter(AddressKeys.keyFor(remoteAddress), now));
        }
        return longest;
    }

    /** Counts a failed login. Call it only for attempts that {@link #retryAfter} allowed. */
    public synchronized void recordFailure(String userName, String remoteAddress) {
        Instant now = clock.instant();
        String user = userKey(userName);

        userNamesFromAddress.recordFailure(pairKey(user, remoteAddress), now);
        userNames.recordFailure(user, now);
        if (remoteAddress != null) {
            addresses.recordFailure(AddressKeys.keyFor(remoteAddress), now);
        }
    }

    /**
     * Clears the user name's failures after a successful login from the address. The address
     * keeps its count.
     */
    public synchronized void recordSuccess(String userName, String remoteAddress) {
        String user = userKey(userName);
        userNamesFromAddress.reset(pairKey(user, remoteAddress));
        userNames.reset(user);
    }

    /** Returns the number of keys of all three kinds that the throttle currently tracks. */
    public synchronized int trackedKeys() {
        return userNamesFromAddress.size() + userNames.size() + addresses.size();
    }

    private static Optional<Duration> longer(Optional<Duration> first, Optional<Duration> second) {
        if (first.isEmpty()) {
            return second;
        }
        if (second.isEmpty()) {
            return first;
        }
        return first.get().compareTo(second.get()) >= 0 ? first : second;
    }

    private static String pairKey(String userKey, String remoteAddress) {
        String address = remoteAddress == null ? UNKNOWN_ADDRESS : AddressKeys.keyFor(remoteAddress);
        return userKey + " " + address;
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
