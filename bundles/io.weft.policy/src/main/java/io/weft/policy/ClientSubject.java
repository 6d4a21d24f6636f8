package io.weft.policy;

import java.util.Objects;

/**
 * API client as the source of a flow. A client belongs to no domain, so only a selector with
 * a {@code client:} term can match it.
 */
public record ClientSubject(ClientName name) implements Subject {

    public ClientSubject {
        Objects.requireNonNull(name, "name");
    }

    public static ClientSubject of(String name) {
        return new ClientSubject(ClientName.of(name));
    }

    /** Returns {@code client:<name>}. */
    @Override
    public String toString() {
        return "client:" + name;
    }
}
