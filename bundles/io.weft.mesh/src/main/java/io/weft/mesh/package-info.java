/**
 * Tunnels of the data plane: one mutually authenticated TLS connection between two nodes
 * that carries many independent byte streams.
 *
 * <p>A {@link io.weft.mesh.MeshEndpoint} listens for tunnels (a gateway) or dials them (any
 * node) and reports each {@link io.weft.mesh.MeshTunnel} and each stream the peer opens to a
 * {@link io.weft.mesh.MeshListener}. A {@link io.weft.mesh.MeshStream} behaves like a TCP
 * connection: either side may finish its direction with
 * {@link io.weft.mesh.MeshStream#shutdownOutput()} while the other keeps sending, and either
 * side may {@link io.weft.mesh.MeshStream#reset reset} it. Every stream has its own flow
 * control window, so a receiver that stops reading stalls only its own stream.
 *
 * <p>Bridging a stream to a TCP socket: write what the socket delivers with
 * {@link io.weft.mesh.MeshStream#write}, stop reading the socket when it returns
 * {@code false} and resume in {@link io.weft.mesh.MeshStreamHandler#onWritable}. Write what
 * {@link io.weft.mesh.MeshStreamHandler#onData} delivers to the socket and call
 * {@link io.weft.mesh.MeshStream#consumed} once the socket has sent it. Registered with the
 * tunnel's {@link io.weft.mesh.MeshTunnel#ioLoop() I/O loop}, the socket is served by the
 * thread that serves the tunnel, so both directions run on one thread. A relay splices two
 * streams the same way: write the data of one into the other and report it consumed once the
 * other stream is writable again, so the relay buffers at most one window per direction.
 *
 * <p>Two nodes without a direct tunnel reach each other through such a relay with an
 * {@link io.weft.mesh.EndToEndSession}: one inner TLS session between the two node identities
 * over one relayed stream, carrying all the streams of the pair, so the relay can neither read
 * nor alter them.
 */
@Export
@Version("0.7.0")
package io.weft.mesh;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
