package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

import io.weft.manager.access.Grant;

/**
 * Operator account as the store keeps it.
 *
 * @param name         the user name, normalized by {@code Principal.normalizeName}
 * @param passwordHash the PHC string of the password's Argon2id hash, as {@code PasswordHasher}
 *                     encodes it
 * @param grants       the roles given to the operator; an empty set allows nothing
 * @param disabled     true when the operator may not log in and its API tokens are rejected
 * @param version      incremented by every change, including a change of the grants
 * @param createdAt    when the account was created
 * @param updatedAt    when the account or its grants last changed
 */
public record Operator(String name, String passwordHash, Set<Grant> grants, boolean disabled, long version,
        Instant createdAt, Instant updatedAt) {

    public Operator {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(passwordHash, "passwordHash");
        grants = Set.copyOf(grants);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** Returns the fields without the password hash, so that a logged operator never shows it. */
    @Override
    public String toString() {
        return "Operator[name=" + name + ", grants=" + grants + ", disabled=" + disabled + ", version=" + version
                + ", createdAt=" + createdAt + ", updatedAt=" + updatedAt + "]";
    }
}
