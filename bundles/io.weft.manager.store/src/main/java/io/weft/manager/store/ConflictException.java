package io.weft.manager.store;

import java.util.Objects;

/** Rejects a change that conflicts with the stored data. */
public class ConflictException extends StoreException {

    private static final long serialVersionUID = 1L;

    /** Kind of conflict. */
    public enum Reason {
        /** The name or owner is already taken: a domain, a node name within a domain, a profile. */
        DUPLICATE,
        /** The domain still contains subdomains or nodes. */
        NOT_EMPTY,
        /** The entity changed since the caller read it; see {@link StaleVersionException}. */
        STALE_VERSION,
        /**
         * The change would leave the fleet without an enabled operator who has the admin
         * role over the whole fleet.
         */
        LAST_ADMIN,
        /** Another entity refers to it, such as a deployment to an app version. */
        IN_USE
    }

    private final Reason reason;

    public ConflictException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
