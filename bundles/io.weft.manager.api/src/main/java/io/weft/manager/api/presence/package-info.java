/** Presence of nodes on this manager's control port, as the control plane reports it to the fleet API. */
@Export
@Version("1.0.0")
package io.weft.manager.api.presence;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
