package io.weft.manager.audit;

import io.weft.manager.audit.internal.EntryRules;

/**
 * Change to record in the audit log: the fields of an {@link AuditEntry} that the caller
 * supplies. {@link AuditChain#append} adds the sequence number, time and hashes.
 *
 * @param actor         user name of the operator, or a name such as {@code system}; 1 to
 *                      {@value #MAX_ACTOR_LENGTH} characters
 * @param remoteAddress IP address of the client, at most {@value #MAX_ADDRESS_LENGTH}
 *                      characters, or null for changes without a client
 * @param action        lower-case words joined by dots, such as {@code node.update} or
 *                      {@code operator.password-change}; at most {@value #MAX_ACTION_LENGTH} characters
 * @param target        name of the changed object, 1 to {@value #MAX_TARGET_LENGTH} characters
 * @param before        the object as JSON text before the change, or null when it was created
 * @param after         the object as JSON text after the change, or null when it was deleted;
 *                      each state has at most {@value #MAX_STATE_LENGTH} characters
 */
public record AuditEvent(String actor, String remoteAddress, String action, String target, String before,
        String after) {

    public static final int MAX_ACTOR_LENGTH = EntryRules.MAX_ACTOR_LENGTH;
    public static final int MAX_ADDRESS_LENGTH = EntryRules.MAX_ADDRESS_LENGTH;
    public static final int MAX_ACTION_LENGTH = EntryRules.MAX_ACTION_LENGTH;
    public static final int MAX_TARGET_LENGTH = EntryRules.MAX_TARGET_LENGTH;
    public static final int MAX_STATE_LENGTH = EntryRules.MAX_STATE_LENGTH;

    /**
     * @throws IllegalArgumentException when a field breaks its rule. Single-line fields must
     *                                  not contain control characters, no field may contain
     *                                  U+0000 or an unpaired surrogate, and a state must be
     *                                  one well-formed JSON value.
     */
    public AuditEvent {
        reject(EntryRules.checkName("actor", actor, MAX_ACTOR_LENGTH));
        reject(EntryRules.checkOptionalName("remote address", remoteAddress, MAX_ADDRESS_LENGTH));
        reject(EntryRules.checkAction(action));
        reject(EntryRules.checkName("target", target, MAX_TARGET_LENGTH));
        reject(EntryRules.checkJson("before", before));
        reject(EntryRules.checkJson("after", after));
    }

    private static void reject(String problem) {
        if (problem != null) {
            throw new IllegalArgumentException("Invalid audit event: " + problem + ".");
        }
    }
}
