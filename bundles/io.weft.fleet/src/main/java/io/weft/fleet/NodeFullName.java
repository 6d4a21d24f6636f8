package io.weft.fleet;

import io.weft.fleet.InvalidFleetInputException.Rule;
import io.weft.fleet.internal.HostNames;
import io.weft.fleet.internal.Inputs;
import java.util.Locale;

/**
 * Identity of a node in the fleet: {@code <node>.<domain>}, such as
 * {@code gw1.east.acme.example}. It appears in the node's certificate, so the whole name obeys
 * the same host name rules as a {@link DomainName}, including the limit of 253 characters.
 */
public final class NodeFullName {

    /** Maximum length of the whole name, in characters. */
    public static final int MAX_LENGTH = HostNames.MAX_LENGTH;

    private static final String FIELD = "node";

    private final NodeName node;
    private final DomainName domain;
    private final String fullName;

    private NodeFullName(NodeName node, DomainName domain, String fullName) {
        this.node = node;
        this.domain = domain;
        this.fullName = fullName;
    }

    /**
     * Combines a node name and its domain.
     *
     * @throws InvalidFleetInputException with field {@code node} when the full name is longer
     *                                    than 253 characters
     */
    public static NodeFullName of(NodeName node, DomainName domain) {
        String fullName = node + "." + domain;
        Inputs.requireMaxLength(fullName, MAX_LENGTH, FIELD, "node full name");
        return new NodeFullName(node, domain, fullName);
    }

    /**
     * Parses a full name: the first label is the node name and the rest is the domain.
     *
     * @throws InvalidFleetInputException with field {@code node} when the name breaks a rule
     *                                    or has no domain part
     */
    public static NodeFullName parse(String text) {
        int labels = HostNames.checkName(text, FIELD, "node full name");
        if (labels < 2) {
            throw new InvalidFleetInputException(FIELD, Rule.INVALID_FORMAT, "Invalid node full name "
                    + Inputs.quote(text) + ": it has no domain. Write '<node>.<domain>', such as"
                    + " 'gw1.east.acme.example'.");
        }

        String fullName = text.toLowerCase(Locale.ROOT);
        int dot = fullName.indexOf('.');
        NodeName node = new NodeName(fullName.substring(0, dot));
        DomainName domain = new DomainName(fullName.substring(dot + 1), labels - 1);
        return new NodeFullName(node, domain, fullName);
    }

    public NodeName node() {
        return node;
    }

    public DomainName domain() {
        return domain;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NodeFullName && ((NodeFullName) other).fullName.equals(fullName);
    }

    @Override
    public int hashCode() {
        return fullName.hashCode();
    }

    /** Returns {@code <node>.<domain>} in lower case. */
    @Override
    public String toString() {
        return fullName;
    }
}
