package io.weft.policy;

import io.weft.policy.internal.Texts;
import java.util.Locale;

/**
 * Name of a service that nodes expose to the mesh, such as {@code ssh} or {@code rtsp}: one DNS
 * label of 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen, folded to
 * lower case.
 */
public final class ServiceName implements Endpoint {

    /** Maximum length in characters. */
    public static final int MAX_LENGTH = 63;

    private final String name;

    private ServiceName(String name) {
        this.name = name;
    }

    /**
     * Parses and validates a service name, folding it to lower case.
     *
     * @throws InvalidPolicyException with field {@code service} when the name breaks a rule
     */
    public static ServiceName of(String text) {
        Texts.checkName(text, MAX_LENGTH, "-", "service", "service name");
        return new ServiceName(text.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ServiceName && ((ServiceName) other).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** Returns the name in lower case. */
    @Override
    public String toString() {
        return name;
    }
}
