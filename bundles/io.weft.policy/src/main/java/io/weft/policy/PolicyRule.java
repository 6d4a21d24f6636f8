package io.weft.policy;

import io.weft.fleet.DomainName;
import io.weft.policy.internal.AttributeIndex;
import io.weft.policy.internal.Texts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One rule of a policy: the sources it applies to, what they reach, and whether it allows or
 * denies. docs/policy-precedence.md in the repository defines which rule decides a flow that
 * several rules match.
 *
 * <p>A rule is attached to a domain, and concerns only nodes inside that domain's subtree. Its
 * {@code node:} and {@code domain:} terms must name nodes and domains inside it, and its other
 * terms match only nodes inside it. An API client belongs to no domain, so a {@code client:}
 * term matches that client in a rule at any domain.
 *
 * @param id          1 to {@value #MAX_ID_LENGTH} letters, digits, '.', '-' and '_', starting
 *                    and ending with a letter or digit; unique within a policy, case-sensitive
 * @param domain      the attachment domain, which sets the rule's scope and its level
 * @param source      the nodes or API clients whose flows the rule matches
 * @param destination the service or app operation, and the nodes that offer it
 * @param action      allow or deny
 * @param protocol    the protocol that the rule matches, empty for both; only for a service
 * @param ports       the ports that the rule matches, empty for every port; only for a service,
 *                    at most {@value #MAX_PORT_RANGES} ranges
 * @param description free text for operators, repeated in the reason of every decision that the
 *                    rule makes; at most {@value #MAX_DESCRIPTION_LENGTH} characters
 * @param guardrail   true when no rule attached deeper in the tree can override this one
 */
public record PolicyRule(
        String id,
        DomainName domain,
        Selector source,
        Destination destination,
        Action action,
        Optional<Protocol> protocol,
        List<PortRange> ports,
        String description,
        boolean guardrail) {

    public static final int MAX_ID_LENGTH = 64;

    public static final int MAX_PORT_RANGES = 32;

    public static final int MAX_DESCRIPTION_LENGTH = 1024;

    /**
     * @throws InvalidPolicyException listing every problem of the rule, each with its id
     */
    public PolicyRule {
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(protocol, "protocol");
        ports = List.copyOf(ports);
        Objects.requireNonNull(description, "description");

        List<PolicyProblem> problems = new ArrayList<>();
        check(problems, () -> Texts.checkName(id, MAX_ID_LENGTH, ".-_", "id", "rule id"));
        check(problems, () -> Texts.checkFreeText(description, MAX_DESCRIPTION_LENGTH, "description", "description"));
        checkScope(problems, domain, source, "source");
        destination.nodes().ifPresent(nodes -> checkScope(problems, domain, nodes, "destination.nodes"));
        checkServiceOptions(problems, destination, protocol, ports);
        if (!problems.isEmpty()) {
            Optional<String> ruleId = id == null || id.isEmpty() ? Optional.empty() : Optional.of(id);
            throw new InvalidPolicyException(problems.stream().map(p -> p.within(ruleId, "")).toList());
        }
    }

    /** Returns a rule without protocol, ports or description that is not a guardrail. */
    public static PolicyRule of(String id, DomainName domain, Selector source, Destination destination, Action action) {
        return new PolicyRule(id, domain, source, destination, action, Optional.empty(), List.of(), "", false);
    }

    public PolicyRule withGuardrail(boolean newGuardrail) {
        return new PolicyRule(id, domain, source, destination, action, protocol, ports, description, newGuardrail);
    }

    public PolicyRule withDescription(String newDescription) {
        return new PolicyRule(id, domain, source, destination, action, protocol, ports, newDescription, guardrail);
    }

    public PolicyRule withPorts(Optional<Protocol> newProtocol, List<PortRange> newPorts) {
        return new PolicyRule(id, domain, source, destination, action, newProtocol, newPorts, description, guardrail);
    }

    /** Returns the attribution that the rule's decisions carry. */
    public RuleRef ref() {
        return new RuleRef(id, domain, guardrail);
    }

    /**
     * Returns true when the rule matches the flow: both nodes of the flow are inside the
     * attachment domain, and the source, the destination node, the endpoint, the protocol and
     * the port all match.
     */
    public boolean appliesTo(Flow flow) {
        return isInScope(flow)
                && destination.endpoint().equals(flow.target().endpoint())
                && matchesInScope(flow);
    }

    /**
     * Returns true when the flow's nodes are inside the attachment domain. A client source is
     * inside every domain.
     */
    public boolean isInScope(Flow flow) {
        boolean sourceInScope = !(flow.source() instanceof NodeSubject node) || node.domain().isWithin(domain);
        return sourceInScope && flow.destination().domain().isWithin(domain);
    }

    /**
     * Returns true when the source, destination node, protocol and port match, for a flow that
     * is in scope and reaches this rule's endpoint.
     */
    public boolean matchesInScope(Flow flow) {
        return source.matches(flow.source())
                && destination.matchesNode(flow.destination())
                && matchesServiceOptions(flow.target());
    }

    /**
     * Returns true when the rule could match the flow for some role, tags and cluster of its
     * source (or its destination when {@code sourceUnknown} is false): the flow is in scope,
     * reaches this rule's endpoint, protocol and port, the other end matches, and the selector
     * of the unknown end reads attributes.
     */
    public boolean mayMatchByAttributesOf(Flow flow, boolean sourceUnknown) {
        if (!isInScope(flow) || !destination.endpoint().equals(flow.target().endpoint())
                || !matchesServiceOptions(flow.target())) {
            return false;
        }
        if (sourceUnknown) {
            return AttributeIndex.readsAttributes(source) && destination.matchesNode(flow.destination());
        }
        return destination.nodes().map(AttributeIndex::readsAttributes).orElse(false)
                && source.matches(flow.source());
    }

    /**
     * Returns true when the rule can match some flow in which {@code node} is the source or the
     * destination, so a node's subset of the policy must contain it.
     */
    public boolean canConcern(NodeSubject node) {
        return node.domain().isWithin(domain) && (source.matches(node) || destination.matchesNode(node));
    }

    private boolean matchesServiceOptions(Target target) {
        if (!(target instanceof ServiceTarget service)) {
            return true;
        }
        if (protocol.isPresent() && protocol.get() != service.protocol()) {
            return false;
        }
        return ports.isEmpty() || matchesPort(service.port());
    }

    private boolean matchesPort(int port) {
        for (int i = 0; i < ports.size(); i++) {
            if (ports.get(i).contains(port)) {
                return true;
            }
        }
        return false;
    }

    private static void check(List<PolicyProblem> problems, Runnable check) {
        try {
            check.run();
        } catch (InvalidPolicyException e) {
            problems.addAll(e.problems());
        }
    }

    private static void checkScope(List<PolicyProblem> problems, DomainName domain, Selector selector, String field) {
        selector.forEachTerm(term -> {
            DomainName reached = term instanceof Selector.ByNode node ? node.node().domain()
                    : term instanceof Selector.ByDomain byDomain ? byDomain.domain() : null;
            if (reached != null && !reached.isWithin(domain)) {
                problems.add(PolicyProblem.of(field, "The term '" + term + "' reaches outside the rule's attachment"
                        + " domain " + domain + ". Attach the rule to a domain that contains " + reached
                        + ", or select only nodes inside " + domain + "."));
            }
        });
    }

    private static void checkServiceOptions(
            List<PolicyProblem> problems, Destination destination, Optional<Protocol> protocol, List<PortRange> ports) {
        if (destination.endpoint() instanceof AppOperation) {
            if (protocol.isPresent() || !ports.isEmpty()) {
                problems.add(PolicyProblem.of(protocol.isPresent() ? "protocol" : "ports", "The destination "
                        + destination.endpoint() + " is an app operation, which has no protocol or ports. Remove"
                        + " them, or name a service."));
            }
        }
        if (ports.size() > MAX_PORT_RANGES) {
            problems.add(PolicyProblem.of("ports", "The rule has " + ports.size() + " port ranges, more than the"
                    + " maximum of " + MAX_PORT_RANGES + ". Merge adjacent ports into ranges such as 8000-8080."));
        }
    }
}
