/**
 * Notifications of committed fleet changes, so that other manager bundles, such as the
 * control plane, can react to the domains and nodes that a change affects.
 */
@Export
@Version("1.0.0")
package io.weft.manager.api.events;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
