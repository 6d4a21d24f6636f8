/**
 * The manager's app deployments for the parts of the manager that deliver them to nodes. It
 * gives the apps each node must run, where other nodes run the apps it may call, and the
 * bundle files that nodes download, and it accepts the reports that nodes send back. A
 * listener is notified after every change of what nodes run.
 */
@Export
@Version("1.2.0")
package io.weft.manager.apps.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
