package io.weft.manager.access;

/**
 * Rejection of a stored password hash that is not an Argon2id string in the PHC format, or
 * whose parameters exceed the limits of {@link PasswordHasher}. The stored value is corrupt or
 * comes from another system. The message names the part that is wrong and never repeats the
 * salt or the hash.
 */
public final class MalformedPasswordHashException extends IllegalArgumentException {

    public MalformedPasswordHashException(String message) {
        super(message);
    }
}
