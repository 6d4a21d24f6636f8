/**
 * Persistence of the manager: domains, nodes and the profile documents attached to them,
 * behind the {@link io.weft.manager.store.FleetStore} service; operator accounts, their
 * grants and API tokens behind {@link io.weft.manager.store.AccessStore}; and the
 * hash-chained audit log behind {@link io.weft.manager.store.AuditStore}; the app repository and
 * deployments behind {@link io.weft.manager.store.AppStore}; and the flow records of the mesh
 * behind {@link io.weft.manager.store.FlowStore}.
 *
 * <p>Every stored entity carries a version that each change increments. Updates and deletes
 * name the version they expect, and a {@link io.weft.manager.store.StaleVersionException}
 * rejects a change based on an outdated read, so concurrent writers never silently overwrite
 * each other.
 */
@Export
@Version("1.6.0")
package io.weft.manager.store;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
