/**
 * The manager's certificate authority, for the manager bundles that enroll nodes, serve the
 * control channel and sign desired states.
 */
@Export
@Version("1.1.0")
package io.weft.manager.pki.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
