package io.weft.policy;

import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The attributes of other nodes as the manager's fleet records store them, for the policy
 * decisions of one node. A complete directory lists every node whose role, tags or cluster can change a
 * decision of the rules that concern the node, so a node that is not listed has none of the
 * attributes that those rules select: {@link #subjectOf} returns it as an edge without tags or
 * cluster. A truncated directory lists at most {@link #MAX_PEERS} nodes, and
 * {@link Policy#decide(Flow, PeerDirectory)} denies a flow with an unlisted peer when a rule
 * could decide it by that peer's attributes.
 *
 * <p>The entries may carry only the attributes that the node's rules read. A rule outside the
 * rules that the directory was compiled for can therefore decide differently with these
 * subjects. Immutable.
 */
public final class PeerDirectory {

    /**
     * Maximum number of entries that the manager puts into one directory, including the node
     * itself. It keeps a desired state below about 25 KB of entries (an estimate of 100 bytes
     * each), however many nodes a root-level tag rule selects.
     */
    public static final int MAX_PEERS = 256;

    private static final PeerDirectory EMPTY = new PeerDirectory(Map.of(), true);

    private final Map<NodeFullName, NodeSubject> subjects;
    private final boolean complete;

    private PeerDirectory(Map<NodeFullName, NodeSubject> subjects, boolean complete) {
        this.subjects = subjects;
        this.complete = complete;
    }

    /** Returns the directory without entries, in which every node is an edge without tags or cluster. */
    public static PeerDirectory empty() {
        return EMPTY;
    }

    /**
     * Returns the complete directory of the given subjects.
     *
     * @throws IllegalArgumentException naming the node when two subjects have the same name
     */
    public static PeerDirectory of(Collection<NodeSubject> entries) {
        return of(entries, true);
    }

    /**
     * Returns the directory of the given subjects, which lists every node that the rules read
     * when {@code complete} is true.
     *
     * @throws IllegalArgumentException naming the node when two subjects have the same name
     */
    public static PeerDirectory of(Collection<NodeSubject> entries, boolean complete) {
        Map<NodeFullName, NodeSubject> byName = new TreeMap<>(
                (left, right) -> left.toString().compareTo(right.toString()));
        for (NodeSubject entry : entries) {
            if (byName.putIfAbsent(entry.name(), entry) != null) {
                throw new IllegalArgumentException("The peer directory lists node " + entry.name()
                        + " twice; list each node once.");
            }
        }
        return new PeerDirectory(Collections.unmodifiableMap(byName), complete);
    }

    /** Returns the listed subject of {@code name}, or an edge without tags or cluster when it is not listed. */
    public NodeSubject subjectOf(NodeFullName name) {
        NodeSubject listed = subjects.get(name);
        return listed != null ? listed : new NodeSubject(name, NodeRole.EDGE, Set.of(), Optional.empty());
    }

    /** Parses {@code fullName} and returns {@link #subjectOf(NodeFullName)}. */
    public NodeSubject subjectOf(String fullName) {
        return subjectOf(NodeFullName.parse(fullName));
    }

    /** Returns true when the node is listed. */
    public boolean lists(NodeFullName name) {
        return subjects.containsKey(name);
    }

    /** Returns false when the manager left out nodes that the rules read, past {@link #MAX_PEERS} entries. */
    public boolean isComplete() {
        return complete;
    }

    /** Returns the listed subjects, sorted by full name. */
    public Collection<NodeSubject> entries() {
        return subjects.values();
    }

    public int size() {
        return subjects.size();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PeerDirectory that && complete == that.complete && subjects.equals(that.subjects);
    }

    @Override
    public int hashCode() {
        return 31 * subjects.hashCode() + Boolean.hashCode(complete);
    }

    @Override
    public String toString() {
        return "PeerDirectory[" + subjects.size() + " nodes" + (complete ? "" : ", truncated") + "]";
    }
}
