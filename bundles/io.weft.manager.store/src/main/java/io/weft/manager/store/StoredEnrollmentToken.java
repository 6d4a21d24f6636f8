package io.weft.manager.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Single-use enrollment token as the store keeps it, without its secret.
 *
 * @param id           identifier for listings and the audit log, 16 hex digits
 * @param nodeId       the node that the token enrolls
 * @param secretSha256 SHA-256 of the token's secret, as 64 lower-case hex digits
 * @param createdBy    the operator who created the token
 * @param usedAt       when a node enrolled with the token, empty while it is unused
 */
public record StoredEnrollmentToken(String id, String nodeId, String secretSha256, String createdBy, Instant createdAt,
        Instant expiresAt, Optional<Instant> usedAt) {

    public StoredEnrollmentToken {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(secretSha256, "secretSha256");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(usedAt, "usedAt");
    }

    /** Returns whether a node can still enroll with the token at {@code now}. */
    public boolean isUsableAt(Instant now) {
        return usedAt.isEmpty() && now.isBefore(expiresAt);
    }
}
