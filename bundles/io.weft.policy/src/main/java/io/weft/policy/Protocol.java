package io.weft.policy;

import io.weft.policy.internal.Texts;

/** Transport protocol of a service. */
public enum Protocol {

    TCP("tcp"),

    UDP("udp");

    private final String id;

    Protocol(String id) {
        this.id = id;
    }

    /**
     * Parses {@code tcp} or {@code udp}, in lower case as in a document.
     *
     * @throws InvalidPolicyException with field {@code protocol} for any other text
     */
    public static Protocol parse(String text) {
        return Texts.parseId(text, Protocol.class, Protocol::id, "protocol", "protocol");
    }

    /** Returns {@code tcp} or {@code udp}. */
    public String id() {
        return id;
    }
}
