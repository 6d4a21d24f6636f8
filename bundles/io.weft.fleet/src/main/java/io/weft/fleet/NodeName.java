package io.weft.fleet;

import io.weft.fleet.internal.HostNames;
import java.util.Locale;

/**
 * Name of a node within its domain, such as {@code gw1}: one DNS label of 1 to 63 letters,
 * digits and hyphens, not starting or ending with a hyphen, folded to lower case. Within its
 * domain a node name must be unique, and it never changes.
 */
public final class NodeName {

    /** Maximum length in characters. */
    public static final int MAX_LENGTH = HostNames.MAX_LABEL_LENGTH;

    private final String name;

    NodeName(String name) {
        this.name = name;
    }

    /**
     * Parses and validates a node name, folding it to lower case.
     *
     * @throws InvalidFleetInputException with field {@code node} when the name breaks a rule
     */
    public static NodeName of(String text) {
        HostNames.checkSingleLabel(text, "node", "node name");
        return new NodeName(text.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NodeName && ((NodeName) other).name.equals(name);
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
