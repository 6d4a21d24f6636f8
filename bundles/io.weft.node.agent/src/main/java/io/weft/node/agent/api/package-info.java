/**
 * The node's own identity and its applied desired state, for the node bundles that act on
 * them, such as the mesh data plane.
 *
 * <p>{@link io.weft.node.agent.api.NodeState} returns the current values. A
 * {@link io.weft.node.agent.api.NodeStateListener} registered as an OSGi service receives
 * them when it is bound and again after every change. {@link io.weft.node.agent.api.ArtifactSource}
 * downloads the app bundles that the state names,
 * {@link io.weft.node.agent.api.StatusExtensions} adds reports to the status sent to the manager, and
 * {@link io.weft.node.agent.api.FlowRecordSink} takes the flow records of the mesh and the Edge API and sends them
 * to the manager over the control connection.
 */
@Export
@Version("1.4.0")
package io.weft.node.agent.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
