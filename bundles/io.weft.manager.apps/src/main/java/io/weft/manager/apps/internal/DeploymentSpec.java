package io.weft.manager.apps.internal;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import io.weft.fleet.DomainName;
import io.weft.fleet.InvalidFleetInputException;
import io.weft.fleet.NodeFullName;
import io.weft.fleet.Tag;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.Node;

/**
 * The validated target selector and rollout settings of a deployment, stored as JSON.
 *
 * @param target           the nodes that run the app
 * @param canary           the nodes that get a new version first, or null for none
 * @param failureThreshold the failures that halt the rollout, or null to never halt
 */
public record DeploymentSpec(Target target, Canary canary, FailureThreshold failureThreshold) {

    /** Largest number of node names or tags in one list. */
    static final int MAX_LIST = 1000;

    /**
     * A node matches when it passes every criterion that is set: it lies in the domain's
     * subtree, its full name is listed, and it carries every tag.
     *
     * @param domain a domain whose subtree is targeted, or null
     * @param nodes  full node names, empty for any
     * @param tags   tags that a node must all carry, empty for any
     */
    public record Target(String domain, List<String> nodes, List<String> tags) {

        boolean matches(Node node) {
            boolean inDomain = domain == null || DomainName.of(node.domain()).isWithin(DomainName.of(domain));
            boolean named = nodes.isEmpty() || nodes.contains(node.fullName());
            return inDomain && named && node.tags().containsAll(tags);
        }

        Optional<DomainName> domainName() {
            return Optional.ofNullable(domain).map(DomainName::of);
        }
    }

    /**
     * @param nodes full names of the canary nodes, or empty
     * @param count the number of target nodes, first by full name, that are canaries when no
     *              names are given; 0 when names are given
     */
    public record Canary(List<String> nodes, Integer count) {
    }

    /**
     * The rollout halts when more target nodes failed than {@code count}, or than
     * {@code percent} percent of the target nodes.
     */
    public record FailureThreshold(Integer count, Integer percent) {

        boolean exceededBy(int failures, int targets) {
            boolean overCount = count != null && failures > count;
            boolean overPercent = percent != null && failures * 100L > (long) percent * targets;
            return overCount || overPercent;
        }
    }

    /**
     * Validates the request's parts.
     *
     * @throws InvalidFieldException naming the field and the rule
     */
    static DeploymentSpec of(Target target, Canary canary, FailureThreshold threshold) {
        if (target == null) {
            throw new InvalidFieldException("target", "target is missing: set domain, nodes or tags");
        }
        Target validTarget = new Target(domain(target.domain()), fullNames("target.nodes", target.nodes()),
                tags(target.tags()));
        if (validTarget.domain() == null && validTarget.nodes().isEmpty() && validTarget.tags().isEmpty()) {
            throw new InvalidFieldException("target", "target selects no node: set domain, nodes or tags");
        }
        return new DeploymentSpec(validTarget, canary(canary), threshold(threshold));
    }

    private static String domain(String domain) {
        if (domain == null) {
            return null;
        }
        try {
            return DomainName.of(domain).toString();
        } catch (InvalidFleetInputException e) {
            throw new InvalidFieldException("target.domain", e.getMessage());
        }
    }

    private static List<String> fullNames(String field, List<String> names) {
        Set<String> valid = new TreeSet<>();
        for (String name : limited(field, names)) {
            try {
                valid.add(NodeFullName.parse(name).toString());
            } catch (InvalidFleetInputException | NullPointerException e) {
                throw new InvalidFieldException(field, "'" + name + "' is not a full node name such as"
                        + " edge1.east.acme.example");
            }
        }
        return List.copyOf(valid);
    }

    private static List<String> tags(List<String> tags) {
        Set<String> valid = new TreeSet<>();
        for (String tag : limited("target.tags", tags)) {
            try {
                valid.add(Tag.of(tag).toString());
            } catch (InvalidFleetInputException | NullPointerException e) {
                throw new InvalidFieldException("target.tags", "'" + tag + "' is not a valid tag");
            }
        }
        return List.copyOf(valid);
    }

    private static Canary canary(Canary canary) {
        if (canary == null) {
            return null;
        }
        List<String> nodes = fullNames("canary.nodes", canary.nodes());
        int count = canary.count() == null ? 0 : canary.count();
        if (nodes.isEmpty() == (count <= 0)) {
            throw new InvalidFieldException("canary", "set either canary.nodes or a positive canary.count");
        }
        return new Canary(nodes, nodes.isEmpty() ? count : 0);
    }

    private static FailureThreshold threshold(FailureThreshold threshold) {
        if (threshold == null) {
            return null;
        }
        if (threshold.count() == null && threshold.percent() == null) {
            throw new InvalidFieldException("failureThreshold", "set failureThreshold.count or .percent");
        }
        if (threshold.count() != null && threshold.count() < 0) {
            throw new InvalidFieldException("failureThreshold.count", "count " + threshold.count()
                    + " is negative: set 0 to halt at the first failure");
        }
        if (threshold.percent() != null && (threshold.percent() < 0 || threshold.percent() > 100)) {
            throw new InvalidFieldException("failureThreshold.percent", "percent " + threshold.percent()
                    + " is outside 0 to 100");
        }
        return threshold;
    }

    private static List<String> limited(String field, List<String> values) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > MAX_LIST) {
            throw new InvalidFieldException(field, values.size() + " entries are more than the maximum of "
                    + MAX_LIST);
        }
        return values;
    }
}
