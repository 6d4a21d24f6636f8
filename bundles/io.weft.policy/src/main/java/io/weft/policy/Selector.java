package io.weft.policy;

import io.weft.fleet.ClusterName;
import io.weft.fleet.DomainName;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.NodeRole;
import io.weft.fleet.Tag;
import io.weft.policy.internal.SelectorText;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Set of subjects that a rule applies to. The text form is what {@link #parse(String)} reads
 * and {@link #toString()} writes:
 *
 * <table>
 * <caption>Selector kinds</caption>
 * <tr><th>text</th><th>matches</th></tr>
 * <tr><td>{@code node:web1.plant1.east.acme.example}</td><td>that node</td></tr>
 * <tr><td>{@code domain:east.acme.example}</td><td>every node of that domain and its subdomains</td></tr>
 * <tr><td>{@code tag:camera}</td><td>every node with that tag</td></tr>
 * <tr><td>{@code cluster:web}</td><td>every node of that cluster</td></tr>
 * <tr><td>{@code role:gateway}, {@code role:edge}</td><td>every node of that role</td></tr>
 * <tr><td>{@code client:ci-deployer}</td><td>that API client, never a node</td></tr>
 * <tr><td>{@code all(tag:camera, domain:east.acme.example)}</td><td>subjects that every part matches</td></tr>
 * <tr><td>{@code any(tag:camera, tag:lidar)}</td><td>subjects that at least one part matches</td></tr>
 * </table>
 *
 * <p>A rule confines every selector to its attachment domain, so {@code tag:camera} in a rule at
 * {@code east.acme.example} matches only the cameras inside that domain. The JSON form is the
 * text as a string, or an object with one member: {@code {"tag": "camera"}},
 * {@code {"allOf": [...]}}, {@code {"anyOf": [...]}}.
 */
public sealed interface Selector {

    /** Maximum nesting of {@code all(...)} and {@code any(...)}, counting the outermost one. */
    int MAX_NESTING = 8;

    /** Maximum number of node, domain, tag, cluster, role and client terms in one selector. */
    int MAX_TERMS = 64;

    /**
     * Parses the text form.
     *
     * @throws InvalidPolicyException with field {@code selector} that names the position and
     *                                the problem, such as an unknown kind or a malformed name
     */
    static Selector parse(String text) {
        return SelectorText.parse(text, "selector");
    }

    /** Returns true when this selector matches the subject, ignoring the rule's attachment domain. */
    boolean matches(Subject subject);

    /** Passes every term to {@code action}, depth first, left to right. */
    void forEachTerm(Consumer<Selector> action);

    /** Every node of the fleet called by its full name. */
    record ByNode(NodeFullName node) implements Selector {
        public ByNode {
            Objects.requireNonNull(node, "node");
        }

        @Override
        public boolean matches(Subject subject) {
            return subject instanceof NodeSubject n && n.name().equals(node);
        }

        @Override
        public void forEachTerm(Consumer<Selector> action) {
            action.accept(this);
        }

        @Override
        public String toString() {
            return "node:" + node;
        }
    }

    /** Every node of a domain and of its subdomains. */
    record ByDomain(DomainName domain) implements Selector {
        public ByDomain {
            Objects.requireNonNull(domain, "domain");
        }

        @Override
        public boolean matches(Subject subject) {
            return subject instanceof NodeSubject n && n.name().domain().isWithin(domain);
        }

        @Override
        public void forEachTerm(Consumer<Selector> action) {
            action.accept(this);
        }

        @Override
        public String toString() {
            return "domain:" + domain;
        }
    }

    /** Every node with a tag. */
    record ByTag(Tag tag) implements Selector {
        public ByTag {
            Objects.requireNonNull(tag, "tag");
        }

        @Override
        public boolean matches(Subject subject) {
            return subject instanceof NodeSubject n && n.tags().contains(tag);
        }

        @Override
        public void forEachTerm(Consumer<Selector> action) {
            action.accept(this);
        }

        @Override
        public String toString() {
            return "tag:" + tag;
        }
    }

    /** Every node of a cluster. */
    record ByCluster(ClusterName cluster) implements Selector {
        public ByCluster {
            Objects.requireNonNull(cluster, "cluster");
        }

        @Override
        public boolean matches(Subject subject) {
            return subject instanceof NodeSubject n && n.cluster().isPresent() && n.cluster().get().equals(cluster);
        }

        @Override
        public void forEachTerm(Consumer<Selector> action) {
            action.accept(this);
        }

        @Override
        public String toString() {
            return "cluster:" + cluster;
        }
    }

    /** Every node of a role. */
    record ByRole(NodeRole role) implements Selector {
        public ByRole {
            Objects.requireNonNull(role, "role");
        }

        @Override
        public boolean matches(Subject subject) {
            return subject instanceof NodeSubject n && n.role() == role;
        }

        @Override
        public void forEachTerm(Consumer<Selector> action) {
            action.accept(this);
        }

        @Override
        public String toString() {
            return "role:" + role.id();
        }
    }

    /** One API client. */
    record ByClient(ClientName client) implements Selector {
        public ByClient {
            Objects.requireNonNull(client, "client");
        }

        @Override
        public boolean matches(Subject subject) {
            return subject instanceof ClientSubject c && c.name().equals(client);
        }

        @Override
        public void forEachTerm(Consumer<Selector> action) {
            action.accept(this);
        }

        @Override
        public String toString() {
            return "client:" + client;
        }
    }

    /** Subjects that every part matches. */
    record AllOf(List<Selector> parts) implements Selector {
        public AllOf {
            parts = SelectorText.requireParts(parts, "all");
        }

        @Override
        public boolean matches(Subject subject) {
            for (int i = 0; i < parts.size(); i++) {
                if (!parts.get(i).matches(subject)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void forEachTerm(Consumer<Selector> action) {
            parts.forEach(part -> part.forEachTerm(action));
        }

        @Override
        public String toString() {
            return SelectorText.write("all", parts);
        }
    }

    /** Subjects that at least one part matches. */
    record AnyOf(List<Selector> parts) implements Selector {
        public AnyOf {
            parts = SelectorText.requireParts(parts, "any");
        }

        @Override
        public boolean matches(Subject subject) {
            for (int i = 0; i < parts.size(); i++) {
                if (parts.get(i).matches(subject)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void forEachTerm(Consumer<Selector> action) {
            parts.forEach(part -> part.forEachTerm(action));
        }

        @Override
        public String toString() {
            return SelectorText.write("any", parts);
        }
    }
}
