package io.weft.fleet;

import static io.weft.fleet.internal.Inputs.describe;
import static io.weft.fleet.internal.Inputs.quote;

import io.weft.fleet.InvalidFleetInputException.Rule;
import io.weft.fleet.internal.Inputs;
import java.util.Locale;
import java.util.Set;

/**
 * Rules for the configuration PIDs and property keys of a {@link Profile}.
 *
 * <p>A PID is a symbolic name: dot-separated segments of letters, digits, {@code '_'} and
 * {@code '-'}, such as {@code org.ops4j.pax.web}. A factory configuration is written
 * {@code <factoryPid>~<name>}, the form of Configuration Admin 1.6, such as
 * {@code io.weft.mesh~gateway}, where the name has letters, digits, {@code '_'}, {@code '-'}
 * and {@code '.'}. PIDs are case-sensitive and at most {@value #MAX_PID_LENGTH} characters.
 *
 * <p>A property key has 1 to {@value #MAX_KEY_LENGTH} printable ASCII characters without
 * spaces. Configuration Admin treats keys that differ only in case as the same key, so
 * profiles match keys ignoring case. The keys that Configuration Admin sets itself
 * ({@code service.pid}, {@code service.factoryPid}, {@code service.bundleLocation}) are reserved.
 */
public final class ProfileNames {

    /** Maximum length of a PID, factory name included, in characters. */
    public static final int MAX_PID_LENGTH = 255;

    /** Maximum length of a property key, in characters. */
    public static final int MAX_KEY_LENGTH = 255;

    private static final Set<String> RESERVED_KEYS =
            Set.of("service.pid", "service.factorypid", "service.bundlelocation");

    private ProfileNames() {
    }

    /**
     * Returns {@code pid} if it is a valid plain or factory PID.
     *
     * @throws InvalidFleetInputException with field {@code pid}
     */
    public static String requireValidPid(String pid) {
        Inputs.requirePresent(pid, "pid", "PID");
        Inputs.requireMaxLength(pid, MAX_PID_LENGTH, "pid", "PID");

        int tilde = pid.indexOf('~');
        String symbolicName = tilde < 0 ? pid : pid.substring(0, tilde);
        checkSymbolicName(pid, symbolicName);
        if (tilde >= 0) {
            checkFactoryName(pid, pid.substring(tilde + 1));
        }
        return pid;
    }

    /**
     * Returns {@code key} if it is a valid, unreserved property key.
     *
     * @throws InvalidFleetInputException with field {@code key}
     */
    public static String requireValidKey(String key) {
        Inputs.requirePresent(key, "key", "property key");
        Inputs.requireMaxLength(key, MAX_KEY_LENGTH, "key", "property key");

        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new InvalidFleetInputException("key", Rule.INVALID_FORMAT, "Invalid property key "
                        + quote(key) + ": it contains " + describe(c) + ". A key may contain only"
                        + " printable ASCII characters other than space.");
            }
        }

        if (RESERVED_KEYS.contains(key.toLowerCase(Locale.ROOT))) {
            throw new InvalidFleetInputException("key", Rule.RESERVED, "Invalid property key " + quote(key)
                    + ": Configuration Admin sets this key itself. Remove it from the profile.");
        }
        return key;
    }

    private static void checkSymbolicName(String pid, String symbolicName) {
        int start = 0;
        for (int end = 0; end <= symbolicName.length(); end++) {
            if (end == symbolicName.length() || symbolicName.charAt(end) == '.') {
                checkSegment(pid, symbolicName, start, end);
                start = end + 1;
            }
        }
    }

    private static void checkSegment(String pid, String symbolicName, int start, int end) {
        if (start == end) {
            throw invalidPid(pid, "it has an empty segment before, between or after its dots."
                    + " Write a dotted name such as 'io.weft.mesh'.");
        }
        for (int i = start; i < end; i++) {
            char c = symbolicName.charAt(i);
            if (!isSymbolicNameCharacter(c)) {
                throw invalidPid(pid, "it contains " + describe(c) + ". A PID may contain only letters,"
                        + " digits, '_', '-' and '.', and one '~' before the name of a factory configuration.");
            }
        }
    }

    private static void checkFactoryName(String pid, String name) {
        if (name.isEmpty()) {
            throw invalidPid(pid, "the factory configuration name after '~' is empty."
                    + " Write '<factoryPid>~<name>', such as 'io.weft.mesh~gateway'.");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isSymbolicNameCharacter(c) && c != '.') {
                throw invalidPid(pid, "its factory configuration name contains " + describe(c)
                        + ". The name after '~' may contain only letters, digits, '_', '-' and '.'.");
            }
        }
    }

    private static InvalidFleetInputException invalidPid(String pid, String problem) {
        return new InvalidFleetInputException("pid", Rule.INVALID_FORMAT, "Invalid PID " + quote(pid) + ": " + problem);
    }

    private static boolean isSymbolicNameCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }
}
