package io.weft.manager.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

import io.weft.manager.access.ApiToken;
import io.weft.manager.access.Grant;

/**
 * Persistent operator accounts, their grants and their API tokens.
 *
 * <p>Each method runs in its own database transaction. Operator versions start at 1, and every
 * change of the account or its grants increments them. A method that takes an
 * {@code expectedVersion} throws {@link StaleVersionException} unless the stored version
 * equals it. User names must be normalized by {@code Principal.normalizeName}, and password
 * hashes are PHC strings of at most {@value #MAX_PASSWORD_HASH_LENGTH} characters; other
 * values raise {@link IllegalArgumentException}. Database failures raise
 * {@link StoreException}.
 *
 * <p>The store keeps at least one enabled operator with the admin role over the whole fleet
 * once one exists: deleting or disabling that last admin, or replacing its grants with a set
 * without a fleet-wide admin grant, throws {@link ConflictException} with reason
 * {@link ConflictException.Reason#LAST_ADMIN}.
 */
@ProviderType
public interface AccessStore {

    /** Maximum length of a password hash, in characters. */
    int MAX_PASSWORD_HASH_LENGTH = 512;

    /**
     * Creates an enabled operator at version 1.
     *
     * @throws ConflictException with reason {@code DUPLICATE} if the user name is taken
     */
    Operator createOperator(String name, String passwordHash, Set<Grant> grants);

    Optional<Operator> findOperator(String name);

    /** Returns every operator, ordered by name. */
    List<Operator> listOperators();

    /**
     * Replaces an operator's password hash.
     *
     * @throws NotFoundException if the operator does not exist
     */
    Operator updatePassword(String name, long expectedVersion, String passwordHash);

    /**
     * Disables or enables an operator. Disabling keeps its grants and tokens.
     *
     * @throws NotFoundException if the operator does not exist
     * @throws ConflictException with reason {@code LAST_ADMIN} if it would disable the last
     *         enabled fleet-wide admin
     */
    Operator setDisabled(String name, long expectedVersion, boolean disabled);

    /**
     * Replaces all grants of an operator.
     *
     * @throws NotFoundException if the operator does not exist
     * @throws ConflictException with reason {@code LAST_ADMIN} if it would remove the
     *         fleet-wide admin grant of the last enabled fleet-wide admin
     */
    Operator replaceGrants(String name, long expectedVersion, Set<Grant> grants);

    /**
     * Deletes an operator with its grants and API tokens.
     *
     * @throws NotFoundException if the operator does not exist
     * @throws ConflictException with reason {@code LAST_ADMIN} if it is the last enabled
     *         fleet-wide admin
     */
    void deleteOperator(String name, long expectedVersion);

    /**
     * Stores a token that {@code ApiTokens.issue} created, with no last use.
     *
     * @throws NotFoundException if the owner does not exist
     * @throws ConflictException with reason {@code DUPLICATE} if a token has the same id
     */
    StoredApiToken createToken(ApiToken token);

    /** Returns the token with the id, or empty for an unknown id, including a malformed one. */
    Optional<StoredApiToken> findToken(String id);

    /** Returns the tokens of an operator, revoked and expired ones included, ordered by creation time and id. */
    List<StoredApiToken> listTokens(String owner);

    /**
     * Marks a token revoked. Revoking a revoked token changes nothing.
     *
     * @throws NotFoundException if the token does not exist
     */
    StoredApiToken revokeToken(String id);

    /**
     * Records that a token was used at {@code time}. A time older than the stored one is
     * ignored, so that requests that finish out of order never move it back.
     *
     * @throws NotFoundException if the token does not exist
     */
    void recordTokenUse(String id, Instant time);
}
