package io.weft.policy;

import io.weft.policy.internal.Texts;

/**
 * Inclusive range of TCP or UDP ports, such as {@code 8000-8080}, or a single port such as
 * {@code 22}.
 *
 * @param first the lowest port of the range, 1 to 65535
 * @param last  the highest port, from {@code first} to 65535
 */
public record PortRange(int first, int last) {

    /** Highest port number. */
    public static final int MAX_PORT = 65535;

    private static final String FIELD = "ports";

    public PortRange {
        requirePort(first, "");
        requirePort(last, "");
        if (first > last) {
            throw new InvalidPolicyException(FIELD, "Invalid port range " + first + "-" + last
                    + ": the first port is higher than the last. Write the lower port first, as in "
                    + last + "-" + first + ".");
        }
    }

    /** Returns the range of one port. */
    public static PortRange of(int port) {
        return new PortRange(port, port);
    }

    /**
     * Parses {@code 22} or {@code 8000-8080}.
     *
     * @throws InvalidPolicyException with field {@code ports} when the text is no port or range
     */
    public static PortRange parse(String text) {
        int dash = text.indexOf('-');
        if (dash < 0) {
            return of(parsePort(text, text));
        }
        return new PortRange(parsePort(text.substring(0, dash), text), parsePort(text.substring(dash + 1), text));
    }

    /** Returns true when {@code port} is in the range. */
    public boolean contains(int port) {
        return port >= first && port <= last;
    }

    /**
     * Checks that {@code port} is from 1 to 65535.
     *
     * @param context the text that the port was read from, quoted in the message; empty for none
     * @throws InvalidPolicyException with field {@code ports}
     */
    static int requirePort(int port, String context) {
        if (port < 1 || port > MAX_PORT) {
            String in = context.isEmpty() ? "" : " in '" + context + "'";
            throw new InvalidPolicyException(FIELD, "Invalid port " + port + in
                    + ": a port is from 1 to " + MAX_PORT + ".");
        }
        return port;
    }

    private static int parsePort(String digits, String text) {
        boolean valid = !digits.isEmpty() && digits.length() <= 5 && digits.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!valid) {
            throw new InvalidPolicyException(FIELD, "Invalid port range " + Texts.quote(text)
                    + ": write a port such as '22' or a range such as '8000-8080'.");
        }
        return requirePort(Integer.parseInt(digits), text);
    }

    /** Returns {@code 22} or {@code 8000-8080}. */
    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
