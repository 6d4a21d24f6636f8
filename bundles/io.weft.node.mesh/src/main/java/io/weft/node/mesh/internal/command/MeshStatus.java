package io.weft.node.mesh.internal.command;

import io.weft.node.agent.api.FlowEvent;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The node mesh's tunnels, services and connectors at the time of the call, for the shell commands. */
public interface MeshStatus {

    /**
     * One open or closing tunnel: a TLS connection to the peer, either direct or spliced by a
     * gateway (a relayed tunnel), or an end-to-end session with it inside a stream that a gateway
     * relays.
     *
     * @param peer          the peer's full node name
     * @param nodeId        the peer's node id from its certificate, or "unverified" while an
     *     end-to-end session's handshake runs
     * @param dialled       true when this node dialled the peer or opened the session, false when the peer did
     * @param open          false once the tunnel is closing
     * @param streams       the number of open streams on the tunnel. A tunnel to a gateway counts
     *     the carrier stream of each end-to-end session that the gateway relays.
     * @param roundTripTime the last measured keepalive round trip, empty before the first one
     * @param via           the full name of the gateway that relays the tunnel, followed by
     *     "(end-to-end session)" or "(relayed tunnel)", empty for a direct connection
     */
    record TunnelStatus(String peer, String nodeId, boolean dialled, boolean open, int streams,
            Optional<Duration> roundTripTime, Optional<String> via) {
    }

    /**
     * One relayed tunnel between two other nodes that this gateway splices.
     *
     * @param source      the full name of the node that asked for it
     * @param destination the full name of the node at the other end
     * @param open        how long the splice has been open
     * @param bytes       the bytes copied so far, both directions together
     */
    record SpliceStatus(String source, String destination, Duration open, long bytes) {
    }

    /**
     * One TCP service that this node exposes.
     *
     * @param name the service name
     * @param host the host that the node connects to for each stream
     * @param port the service's TCP port
     */
    record ServiceStatus(String name, String host, int port) {
    }

    /**
     * One connector of this node.
     *
     * @param name        the connector's name
     * @param listen      the local address and port that accept connections, as {@code host:port}
     * @param service     the service name on the destination node
     * @param node        the destination node's full name
     * @param servicePort the service port that this node's policy check reads
     */
    record ConnectorStatus(String name, String listen, String service, String node, int servicePort) {
    }

    /**
     * The counters of the node's flow record buffer.
     *
     * @param buffered     records waiting for the manager's acknowledgement
     * @param capacity     maximum number of buffered records
     * @param dropped      records dropped since the node started, because the buffer was full
     * @param acknowledged records that the manager acknowledged since the node started
     */
    record FlowBufferStatus(int buffered, int capacity, long dropped, long acknowledged) {
    }

    /** Returns the full name of this node, or empty when the node has no identity yet or its mesh failed to start. */
    Optional<String> nodeName();

    List<TunnelStatus> tunnels();

    /** Returns the relayed tunnels that this node splices as a gateway. */
    List<SpliceStatus> splices();

    List<ServiceStatus> services();

    List<ConnectorStatus> connectors();

    /** Returns the latest flow events of this node, of mesh streams and Edge API calls, newest first. */
    List<FlowEvent> recentFlows();

    /** Returns the counters of the flow record buffer, empty while the node agent offers none. */
    Optional<FlowBufferStatus> flowBuffer();
}
