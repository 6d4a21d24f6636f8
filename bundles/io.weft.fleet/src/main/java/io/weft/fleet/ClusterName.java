package io.weft.fleet;

import io.weft.fleet.internal.HostNames;
import java.util.Locale;

/**
 * Name of a cluster: a set of nodes that serve the same services. The name follows the rules
 * of one DNS label, so that it can later name a service in DNS form: 1 to 63 letters, digits
 * and hyphens, not starting or ending with a hyphen, folded to lower case.
 */
public final class ClusterName {

    /** Maximum length in characters. */
    public static final int MAX_LENGTH = HostNames.MAX_LABEL_LENGTH;

    private final String name;

    private ClusterName(String name) {
        this.name = name;
    }

    /**
     * Parses and validates a cluster name, folding it to lower case.
     *
     * @throws InvalidFleetInputException with field {@code cluster} when the name breaks a rule
     */
    public static ClusterName of(String text) {
        HostNames.checkSingleLabel(text, "cluster", "cluster name");
        return new ClusterName(text.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterName && ((ClusterName) other).name.equals(name);
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
