/**
 * The Weft app SDK: the only Weft API that edge apps compile against.
 *
 * <p>An app publishes each operation as an OSGi service, usually a Declarative Services
 * component, that implements {@link io.weft.app.api.Operation} (one JSON response per call)
 * or {@link io.weft.app.api.StreamingOperation} (server-sent events). The component carries
 * the {@link io.weft.app.api.EdgeOperation} property type, which names the app and the
 * operation, marks it safe for {@code GET}, and declares which callers may use it. The Edge API
 * of the node serves it at {@code /api/v1/apps/<app>/ops/<operation>}.
 *
 * <p>An app reads its configuration from the profile PID {@code io.weft.app.<app>}
 * ({@link io.weft.app.api.EdgeOperation#CONFIGURATION_PID_PREFIX}), through Declarative
 * Services' {@code configurationPid}.
 *
 * <p>App code calls the operations of other apps through the {@link io.weft.app.api.EdgeClient}
 * service, on this node or on the nearest node that runs them (since 1.1).
 *
 * <p>The package follows semantic versioning: a minor version adds types or methods, a major
 * version breaks apps compiled against an earlier one.
 */
@Export
@Version("1.1.0")
package io.weft.app.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
