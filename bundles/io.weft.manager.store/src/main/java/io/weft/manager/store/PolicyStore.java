package io.weft.manager.store;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The fleet's one policy document, kept whole with a version for optimistic concurrency.
 *
 * <p>Before the first write there is no document, and its version is {@value #EMPTY_VERSION}.
 * Each method runs in its own transaction, or joins the one of {@link StoreTransactions}.
 * Database failures raise {@link StoreException}.
 */
@ProviderType
public interface PolicyStore {

    /** Version of the policy before its first write. */
    long EMPTY_VERSION = 0;

    /** Maximum length of a policy document, in characters. */
    int MAX_POLICY_LENGTH = 1024 * 1024;

    /** Returns the stored document, or empty before the first write. */
    Optional<StoredPolicy> findPolicy();

    /** Returns the version of the stored document, or {@value #EMPTY_VERSION} before the first write. */
    long policyVersion();

    /**
     * Replaces the document, or writes the first one at version 1 when {@code expectedVersion}
     * is {@value #EMPTY_VERSION}.
     *
     * @throws StaleVersionException   with entity {@code policy} when the stored version is not
     *                                 {@code expectedVersion}, including when another writer
     *                                 wrote the first document at the same time
     * @throws IllegalArgumentException when the document is empty or longer than
     *                                 {@value #MAX_POLICY_LENGTH} characters
     */
    StoredPolicy replacePolicy(long expectedVersion, String json);
}
