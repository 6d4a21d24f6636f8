package io.weft.manager.store;

import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Persistent domains, nodes and profile documents of the manager.
 *
 * <p>Each method runs in its own database transaction. Versions start at 1 and every change
 * increments them. A method that takes an {@code expectedVersion} throws
 * {@link StaleVersionException} unless the stored version equals it. Invalid arguments (a
 * name that is not a DNS name, a text longer than its column) raise
 * {@link IllegalArgumentException}; database failures raise {@link StoreException}.
 *
 * <p>Domain and node names are lower-case DNS names: labels of 1 to 63 letters, digits and
 * hyphens, no label starting or ending with a hyphen, at most 253 characters in all. A node
 * name is a single label.
 */
@ProviderType
public interface FleetStore {

    /** Maximum length of a description, in characters. */
    int MAX_DESCRIPTION_LENGTH = 1000;

    /** Maximum length of a tag or a cluster name, in characters. */
    int MAX_TAG_LENGTH = 64;

    /** Maximum length of a profile document, in characters. */
    int MAX_PROFILE_LENGTH = 1024 * 1024;

    /**
     * Creates a domain at version 1. Its parent domains need not exist.
     *
     * @throws ConflictException with reason {@code DUPLICATE} if the domain exists
     */
    Domain createDomain(String name, String description);

    Optional<Domain> findDomain(String name);

    /**
     * Replaces a domain's description.
     *
     * @throws NotFoundException if the domain does not exist
     */
    Domain updateDomain(String name, long expectedVersion, String description);

    /**
     * Deletes a domain and its profile.
     *
     * @throws ConflictException with reason {@code NOT_EMPTY} if the domain has subdomains or nodes
     * @throws NotFoundException if the domain does not exist
     */
    void deleteDomain(String name, long expectedVersion);

    Page<Domain> listDomains(DomainQuery query);

    /**
     * Creates a node in state {@link NodeState#CREATED} at version 1, with a new id.
     *
     * @throws NotFoundException if the node's domain does not exist
     * @throws ConflictException with reason {@code DUPLICATE} if the domain has a node of that name
     */
    Node createNode(NodeSpec spec);

    Optional<Node> findNode(String id);

    Optional<Node> findNodeByName(String domain, String name);

    /**
     * Replaces the operator-set fields of a node, including its name and domain.
     *
     * @throws NotFoundException if the node or the new domain does not exist
     * @throws ConflictException with reason {@code DUPLICATE} if the domain has another node of that name
     */
    Node updateNode(String id, long expectedVersion, NodeSpec spec);

    /**
     * Sets a node's enrollment state. The store accepts any transition, because the
     * enrollment service decides which ones are allowed.
     *
     * @throws NotFoundException if the node does not exist
     */
    Node updateNodeState(String id, long expectedVersion, NodeState state);

    /**
     * Records when the manager last heard from a node. A time older than the stored one is
     * ignored. This neither checks nor increments the version, so heartbeats never conflict
     * with an operator's change.
     *
     * @throws NotFoundException if the node does not exist
     */
    void recordLastSeen(String id, Instant time);

    /**
     * Deletes a node with its tags and profile.
     *
     * @throws NotFoundException if the node does not exist
     */
    void deleteNode(String id, long expectedVersion);

    Page<Node> listNodes(NodeQuery query);

    Optional<ProfileDocument> findProfile(ProfileOwner owner);

    /**
     * Attaches a profile document at version 1 to a domain or node that has none.
     *
     * @throws NotFoundException if the owner does not exist
     * @throws ConflictException with reason {@code DUPLICATE} if the owner already has a profile
     */
    ProfileDocument createProfile(ProfileOwner owner, String json);

    /**
     * Replaces a profile document.
     *
     * @throws NotFoundException if the owner has no profile
     */
    ProfileDocument updateProfile(ProfileOwner owner, long expectedVersion, String json);

    /**
     * Removes a profile document.
     *
     * @throws NotFoundException if the owner has no profile
     */
    void deleteProfile(ProfileOwner owner, long expectedVersion);
}
