package io.weft.fleet;

import static io.weft.fleet.internal.Inputs.quote;

import io.weft.fleet.InvalidFleetInputException.Rule;
import io.weft.fleet.internal.Inputs;
import java.util.Optional;

/**
 * Domain or node that a profile is attached to, written {@code domain:east.acme.example} or
 * {@code node:gw1.east.acme.example}. An {@link EffectiveValue} names its owner as the level
 * the value came from.
 */
public final class ProfileOwner {

    /** Kind of owner, with the prefix of its id. */
    public enum Kind {
        DOMAIN("domain"),
        NODE("node");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    private static final String FIELD = "owner";

    private final Kind kind;
    private final DomainName domain;
    private final NodeFullName node;
    private final String id;

    private ProfileOwner(Kind kind, DomainName domain, NodeFullName node, String name) {
        this.kind = kind;
        this.domain = domain;
        this.node = node;
        this.id = kind.prefix + ":" + name;
    }

    public static ProfileOwner domain(DomainName domain) {
        return new ProfileOwner(Kind.DOMAIN, domain, null, domain.toString());
    }

    public static ProfileOwner node(NodeFullName node) {
        return new ProfileOwner(Kind.NODE, node.domain(), node, node.toString());
    }

    /**
     * Parses an id such as {@code domain:east.acme.example} or {@code node:gw1.east.acme.example}.
     *
     * @throws InvalidFleetInputException with field {@code owner} for another prefix, or with
     *                                    the field of the name when the name is invalid
     */
    public static ProfileOwner parse(String id) {
        Inputs.requirePresent(id, FIELD, "profile owner");
        if (id.startsWith("domain:")) {
            return domain(DomainName.of(id.substring("domain:".length())));
        }
        if (id.startsWith("node:")) {
            return node(NodeFullName.parse(id.substring("node:".length())));
        }
        throw new InvalidFleetInputException(FIELD, Rule.INVALID_FORMAT, "Invalid profile owner " + quote(id)
                + ": it must start with 'domain:' or 'node:'. Write 'domain:east.acme.example' or"
                + " 'node:gw1.east.acme.example'.");
    }

    public Kind kind() {
        return kind;
    }

    /** Returns the owning domain, or for a node the node's domain. */
    public DomainName domain() {
        return domain;
    }

    /** Returns the owning node, or empty for a domain. */
    public Optional<NodeFullName> node() {
        return Optional.ofNullable(node);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ProfileOwner && ((ProfileOwner) other).id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** Returns the id, such as {@code domain:east.acme.example}. */
    @Override
    public String toString() {
        return id;
    }
}
