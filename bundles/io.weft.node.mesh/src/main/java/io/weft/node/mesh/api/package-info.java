/**
 * The node's mesh as other node bundles use it: built-in targets that a bundle of this node
 * serves to other nodes, and loopback routes to the built-in targets of other nodes.
 */
@Export
@Version("1.0.0")
package io.weft.node.mesh.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
