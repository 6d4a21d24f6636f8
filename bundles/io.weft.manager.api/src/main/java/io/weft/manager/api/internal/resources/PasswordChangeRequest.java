package io.weft.manager.api.internal.resources;

/**
 * Body of {@code PUT /operators/{name}/password}.
 *
 * @param password the new password, which must satisfy the password policy
 */
public record PasswordChangeRequest(String password) {

    /** Describes the request without its password. */
    @Override
    public String toString() {
        return "PasswordChangeRequest[]";
    }
}
