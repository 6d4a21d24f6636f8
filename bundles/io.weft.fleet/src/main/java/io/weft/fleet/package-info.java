/**
 * Fleet model shared by the manager and the nodes: domain and node names, node records,
 * typed profiles and the resolution of a node's effective profile from its domain tree.
 *
 * <p>Every type is immutable and validates its input. Invalid input raises
 * {@link io.weft.fleet.InvalidFleetInputException}, which names the field and the rule.
 */
@Export
@Version("1.1.0")
package io.weft.fleet;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
