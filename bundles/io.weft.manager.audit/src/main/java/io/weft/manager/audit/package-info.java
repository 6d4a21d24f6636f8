/**
 * Audit log of the manager: one {@link io.weft.manager.audit.AuditEntry} for every change made
 * through the API, chained by SHA-256 so that a changed, deleted or reordered entry is
 * detected, with verification and a JSON-lines export and import.
 *
 * <p>Nothing here stores entries. The manager's store keeps them and appends each one with
 * {@link io.weft.manager.audit.AuditChain#append}.
 */
@Export
@Version("1.0.0")
package io.weft.manager.audit;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
