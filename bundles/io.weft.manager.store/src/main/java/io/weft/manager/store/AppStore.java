package io.weft.manager.store;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The metadata of the manager's app repository and the deployments of its apps. The bundle
 * files themselves live outside the database.
 *
 * <p>Each method runs in its own transaction, or joins the one of {@link StoreTransactions}.
 * Database failures raise {@link StoreException}.
 */
@ProviderType
public interface AppStore {

    /**
     * Inserts an app version.
     *
     * @throws ConflictException with reason {@link ConflictException.Reason#DUPLICATE} when the
     *                           name and version exist already
     */
    StoredApp insertApp(StoredApp app);

    Optional<StoredApp> findApp(String name, String version);

    /** Returns every app version, sorted by name and upload time. */
    List<StoredApp> listApps();

    /**
     * Replaces the signature of an app version, after the repository's signing key changed. The
     * bundle and its SHA-256 stay as they are.
     *
     * @throws NotFoundException with entity {@code app} when it does not exist
     */
    void updateSignature(String name, String version, String signature);

    /**
     * Deletes an app version.
     *
     * @throws NotFoundException with entity {@code app} when it does not exist
     * @throws ConflictException with reason {@link ConflictException.Reason#IN_USE} when a
     *                           deployment names it
     */
    void deleteApp(String name, String version);

    /**
     * Inserts a deployment at version 1, with the times and version of the argument replaced.
     *
     * @throws ConflictException with reason {@link ConflictException.Reason#DUPLICATE} when the id exists
     * @throws NotFoundException with entity {@code app} when the app version does not exist
     */
    StoredDeployment insertDeployment(StoredDeployment deployment);

    Optional<StoredDeployment> findDeployment(String id);

    /** Returns every deployment, sorted by creation time. */
    List<StoredDeployment> listDeployments();

    /**
     * Replaces a deployment's app version, previous version, spec and state.
     *
     * @throws StaleVersionException with entity {@code deployment} when the stored version is not
     *                               {@code expectedVersion}
     * @throws NotFoundException     with entity {@code deployment} or {@code app}
     */
    StoredDeployment updateDeployment(long expectedVersion, StoredDeployment deployment);

    /**
     * Deletes a deployment.
     *
     * @throws StaleVersionException with entity {@code deployment} when the stored version is not
     *                               {@code expectedVersion}
     * @throws NotFoundException     with entity {@code deployment}
     */
    void deleteDeployment(String id, long expectedVersion);
}
