package io.weft.policy;

import io.weft.policy.internal.SelectorText;
import io.weft.policy.internal.Texts;
import java.util.Objects;
import java.util.Optional;

/**
 * Destination of a rule: a service or an app operation, on the nodes that a selector
 * matches. The text form is {@code ssh}, {@code io.acme.camera/snapshot} or either of them
 * followed by {@code on <selector>}, such as {@code ssh on tag:camera}. Without a selector the
 * destination is every node of the rule's attachment domain.
 *
 * @param endpoint the service or the app operation
 * @param nodes    the destination nodes, which cannot include a {@code client:} term because a
 *                 destination is always a node
 */
public record Destination(Endpoint endpoint, Optional<Selector> nodes) {

    private static final String ON = " on ";

    public Destination {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(nodes, "nodes");
        nodes.ifPresent(Destination::requireNoClient);
    }

    /** Returns the service on every node of the rule's attachment domain. */
    public static Destination service(String name) {
        return new Destination(ServiceName.of(name), Optional.empty());
    }

    /** Returns the service on the nodes that {@code nodes} matches. */
    public static Destination service(String name, Selector nodes) {
        return new Destination(ServiceName.of(name), Optional.of(nodes));
    }

    /** Returns the app operation {@code app/operation} on the nodes that {@code nodes} matches. */
    public static Destination operation(String appOperation, Selector nodes) {
        return new Destination(AppOperation.parse(appOperation), Optional.of(nodes));
    }

    /**
     * Parses the text form.
     *
     * @throws InvalidPolicyException with field {@code destination} when the text is malformed
     */
    public static Destination parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidPolicyException("destination", "The destination is missing. Write a service such as"
                    + " 'ssh', an app operation such as 'io.acme.camera/snapshot', or either followed by"
                    + " ' on <selector>'.");
        }
        int on = text.indexOf(ON);
        String endpoint = (on < 0 ? text : text.substring(0, on)).strip();
        Optional<Selector> nodes = on < 0
                ? Optional.empty()
                : Optional.of(SelectorText.parse(text.substring(on + ON.length()), "destination"));
        return new Destination(parseEndpoint(endpoint, "destination"), nodes);
    }

    /**
     * Parses a service name, or an app operation when the text contains '/'.
     *
     * @throws InvalidPolicyException naming {@code field}
     */
    static Endpoint parseEndpoint(String text, String field) {
        try {
            return text.indexOf('/') >= 0 ? AppOperation.parse(text) : ServiceName.of(text);
        } catch (InvalidPolicyException e) {
            throw new InvalidPolicyException(field, e.reason());
        }
    }

    private static void requireNoClient(Selector nodes) {
        nodes.forEachTerm(term -> {
            if (term instanceof Selector.ByClient) {
                throw new InvalidPolicyException("destination.nodes", "The destination selector " + Texts.quote(
                        nodes.toString()) + " contains the client term '" + term + "', but a destination is"
                        + " always a node. Move API clients to the source.");
            }
        });
    }

    /** Returns true when {@code node} is one of the destination nodes, ignoring the attachment domain. */
    public boolean matchesNode(NodeSubject node) {
        return nodes.isEmpty() || nodes.get().matches(node);
    }

    /** Returns the text form, such as {@code ssh on tag:camera}. */
    @Override
    public String toString() {
        return endpoint + nodes.map(selector -> ON + selector).orElse("");
    }
}
