/**
 * The manager's fleet policy for the parts of the manager that deliver it to nodes: each
 * node's subset of the stored policy, the version of that policy, and the notification that
 * follows every committed change.
 */
@Export
@Version("1.1.0")
package io.weft.manager.policy.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
