package io.weft.fleet;

import static io.weft.fleet.internal.Inputs.quote;

import io.weft.fleet.InvalidFleetInputException.Rule;
import io.weft.fleet.internal.Inputs;
import java.time.Instant;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Record of one node of the fleet, identified by {@link #name()}. A node name must be unique
 * within its domain. This type cannot check that, so the store must.
 *
 * @param name        the full name {@code <node>.<domain>}, which never changes
 * @param role        edge or gateway
 * @param tags        at most {@value #MAX_TAGS} tags, kept sorted
 * @param cluster     the cluster whose services the node serves, if any
 * @param description free text for operators, empty when there is none. It has at most
 *                    {@value #MAX_DESCRIPTION_LENGTH} characters and no control characters
 *                    other than tab and line breaks.
 * @param state       the lifecycle state, which {@link #moveTo(NodeState)} changes after
 *                    checking the transition
 * @param lastSeen    when the manager last heard from the node, empty before the first contact
 */
public record Node(
        NodeFullName name,
        NodeRole role,
        Set<Tag> tags,
        Optional<ClusterName> cluster,
        String description,
        NodeState state,
        Optional<Instant> lastSeen) {

    /** Maximum number of tags on one node. */
    public static final int MAX_TAGS = 64;

    /**
     * Maximum length of a description in UTF-16 code units, as {@link String#length()}
     * counts. A code point never takes fewer units, so a database column of this many
     * characters fits every valid description.
     */
    public static final int MAX_DESCRIPTION_LENGTH = 1024;

    public Node {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        tags = requireValidTags(tags);
        Objects.requireNonNull(cluster, "cluster");
        requireValidDescription(description);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(lastSeen, "lastSeen");
    }

    /** Returns a new record in state {@code created}, without tags, cluster or description. */
    public static Node created(NodeFullName name, NodeRole role) {
        return new Node(name, role, Set.of(), Optional.empty(), "",
                NodeState.CREATED, Optional.empty());
    }

    /**
     * Returns the tags sorted in an unmodifiable copy.
     *
     * @throws InvalidFleetInputException with field {@code tags} when there are more than
     *                                    {@value #MAX_TAGS}
     */
    public static Set<Tag> requireValidTags(Set<Tag> tags) {
        Objects.requireNonNull(tags, "tags");
        if (tags.size() > MAX_TAGS) {
            throw new InvalidFleetInputException("tags", Rule.TOO_MANY, "The node has " + tags.size()
                    + " tags, more than the maximum of " + MAX_TAGS + ". Remove some tags.");
        }
        return Collections.unmodifiableSortedSet(new TreeSet<>(tags));
    }

    /**
     * Returns the description if it fits {@value #MAX_DESCRIPTION_LENGTH} characters and has no
     * control characters other than tab, line feed and carriage return.
     *
     * @throws InvalidFleetInputException with field {@code description}
     */
    public static String requireValidDescription(String description) {
        Objects.requireNonNull(description, "description");
        Inputs.requireMaxLength(description, MAX_DESCRIPTION_LENGTH, "description", "description");
        Inputs.requireWellFormedUnicode(description, "description", "description");
        for (int i = 0; i < description.length(); i++) {
            char c = description.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                throw new InvalidFleetInputException("description", Rule.INVALID_FORMAT, "Invalid description "
                        + quote(description) + ": character " + (i + 1) + " is the control character "
                        + String.format("U+%04X", (int) c) + ". Remove it. Only tab and line breaks are allowed.");
            }
        }
        return description;
    }

    public DomainName domain() {
        return name.domain();
    }

    public Node withRole(NodeRole newRole) {
        return new Node(name, newRole, tags, cluster, description, state, lastSeen);
    }

    public Node withTags(Set<Tag> newTags) {
        return new Node(name, role, requireValidTags(newTags), cluster, description, state, lastSeen);
    }

    public Node withCluster(ClusterName newCluster) {
        return new Node(name, role, tags, Optional.of(newCluster), description, state, lastSeen);
    }

    public Node withoutCluster() {
        return new Node(name, role, tags, Optional.empty(), description, state, lastSeen);
    }

    public Node withDescription(String newDescription) {
        return new Node(name, role, tags, cluster, newDescription, state, lastSeen);
    }

    public Node withLastSeen(Instant time) {
        return new Node(name, role, tags, cluster, description, state, Optional.of(time));
    }

    /**
     * Returns a copy in state {@code next}.
     *
     * @throws InvalidFleetInputException with field {@code state} and rule
     *                                    {@link Rule#INVALID_TRANSITION} when the current state
     *                                    cannot move to {@code next}
     */
    public Node moveTo(NodeState next) {
        if (!state.canMoveTo(next)) {
            throw invalidTransition(next);
        }
        return new Node(name, role, tags, cluster, description, next, lastSeen);
    }

    private InvalidFleetInputException invalidTransition(NodeState next) {
        String allowed = state.nextStates().isEmpty()
                ? "A " + state.id() + " node cannot change state. Create a new node record instead."
                : "From " + state.id() + " a node can move only to " + idsOf(state.nextStates()) + ".";
        return new InvalidFleetInputException("state", Rule.INVALID_TRANSITION, "Node '" + name
                + "' cannot move from " + state.id() + " to " + next.id() + ". " + allowed);
    }

    private static String idsOf(Set<NodeState> states) {
        StringBuilder ids = new StringBuilder();
        for (NodeState state : states) {
            ids.append(ids.length() == 0 ? "" : " or ").append(state.id());
        }
        return ids.toString();
    }
}
