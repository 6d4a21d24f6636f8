package io.weft.policy;

import io.weft.policy.internal.Texts;

/**
 * Identity of an API client that calls the Edge API, such as {@code ci-deployer} or
 * {@code ops@acme.example}: 1 to {@value #MAX_LENGTH} letters, digits, '.', '-', '_' and '@',
 * starting and ending with a letter or digit. Client names are case-sensitive and are compared
 * exactly as the authentication layer reports them.
 */
public final class ClientName {

    public static final int MAX_LENGTH = 128;

    private final String name;

    private ClientName(String name) {
        this.name = name;
    }

    /**
     * Parses and validates a client name.
     *
     * @throws InvalidPolicyException with field {@code client} when the name breaks a rule
     */
    public static ClientName of(String text) {
        return new ClientName(Texts.checkName(text, MAX_LENGTH, ".-_@", "client", "client name"));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientName && ((ClientName) other).name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
