/**
 * Control protocol of the management plane: the one long-lived connection that a node opens
 * to the manager, over mutual TLS on Apache MINA.
 *
 * <p>On the wire every frame is a 4-byte big-endian payload length, a 1-byte
 * {@link io.weft.control.FrameType} and the payload. Payloads are strict JSON, except the
 * desired state, which travels as opaque signed bytes. {@link io.weft.control.ControlServer}
 * (manager), {@link io.weft.control.ControlClient} (node) and
 * {@link io.weft.control.ControlConnector} (many nodes in one process) wire TLS, the codec, the HELLO
 * timeout and heartbeats around a {@link io.weft.control.ControlListener}. Who may connect
 * is decided by the caller, through the {@link javax.net.ssl.SSLContext} it supplies and
 * its response to a {@link io.weft.control.Hello}.
 */
@Export
@Version("1.4.0")
package io.weft.control;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
