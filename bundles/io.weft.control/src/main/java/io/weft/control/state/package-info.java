/**
 * The desired state of a node as the manager compiles and signs it and the node verifies and
 * applies it.
 */
@Export
@Version("1.2.0")
package io.weft.control.state;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
