/**
 * The manager's app deployments for the parts of the manager that deliver them to nodes: the
 * apps each node must run, the bundle files that nodes download, the reports that nodes send
 * back, and the notification that follows every change of what nodes must run.
 */
@Export
@Version("1.0.0")
package io.weft.manager.apps.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
