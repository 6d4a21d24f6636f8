/**
 * The manager's certificate authority, for the manager bundles that enroll nodes, serve the
 * control channel, sign desired states and app bundles, and replace a revoked app signer.
 */
@Export
@Version("1.2.0")
package io.weft.manager.pki.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
