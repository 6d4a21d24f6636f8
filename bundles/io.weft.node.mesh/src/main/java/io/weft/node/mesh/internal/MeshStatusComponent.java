package io.weft.node.mesh.internal;

import io.weft.mesh.EndToEndSession;
import io.weft.mesh.MeshTunnel;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.FlowRecordSink;
import io.weft.node.mesh.internal.command.MeshStatus;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/** Collects the mesh node, the exposed services and the connectors of this bundle for the shell commands. */
@Component(service = MeshStatus.class)
public final class MeshStatusComponent implements MeshStatus {

    private final List<ServiceEntry> services = new CopyOnWriteArrayList<>();
    private final List<ConnectorComponent> connectors = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile MeshNodeAccess access;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile FlowRecordSink flowSink;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addService(ServiceEntry entry) {
        services.add(entry);
    }

    void removeService(ServiceEntry entry) {
        services.remove(entry);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addConnector(ConnectorComponent connector) {
        connectors.add(connector);
    }

    void removeConnector(ConnectorComponent connector) {
        connectors.remove(connector);
    }

    @Override
    public Optional<String> nodeName() {
        return meshNode().map(MeshNode::fullName);
    }

    @Override
    public List<TunnelStatus> tunnels() {
        List<TunnelStatus> rows = new ArrayList<>();
        Optional<MeshNode> node = meshNode();
        for (MeshTunnel tunnel : node.map(MeshNode::tunnels).orElse(List.of())) {
            Optional<String> relay = node.flatMap(mesh -> mesh.relayGatewayOf(tunnel));
            rows.add(row(tunnel, tunnel.peer().fullName(), relay.map(gateway -> gateway + " (relayed tunnel)")));
        }
        for (EndToEndSession session : meshNode().map(MeshNode::endToEndSessions).orElse(List.of())) {
            rows.add(row(session.tunnel(), session.peerName(),
                    Optional.of(session.via().peer().fullName() + " (end-to-end session)")));
        }
        rows.sort(Comparator.comparing(TunnelStatus::peer));
        return rows;
    }

    @Override
    public List<SpliceStatus> splices() {
        Instant now = Instant.now();
        return meshNode().map(MeshNode::splicedTunnels).orElse(List.of()).stream()
                .map(spliced -> new SpliceStatus(spliced.source(), spliced.destination(),
                        Duration.between(spliced.since(), now), spliced.bytes()))
                .toList();
    }

    private static TunnelStatus row(MeshTunnel tunnel, String peer, Optional<String> via) {
        return new TunnelStatus(peer, tunnel.peer().nodeId(), tunnel.isDialer(), tunnel.isOpen(),
                tunnel.streamCount(), tunnel.roundTripTime(), via);
    }

    @Override
    public List<ServiceStatus> services() {
        List<ServiceStatus> rows = new ArrayList<>();
        for (ServiceEntry entry : services) {
            ExposedService service = entry.service();
            rows.add(new ServiceStatus(service.name(), service.host(), service.port()));
        }
        rows.sort(Comparator.comparing(ServiceStatus::name));
        return rows;
    }

    @Override
    public List<ConnectorStatus> connectors() {
        List<ConnectorStatus> rows = new ArrayList<>();
        for (ConnectorComponent component : connectors) {
            Connector connector = component.connector();
            Connector.Spec spec = connector.spec();
            rows.add(new ConnectorStatus(spec.name(), hostAndPort(connector.address()), spec.service(), spec.node(),
                    spec.servicePort()));
        }
        rows.sort(Comparator.comparing(ConnectorStatus::name));
        return rows;
    }

    @Override
    public List<FlowEvent> recentFlows() {
        // The agent's sink also has the Edge API's call records; without it only the mesh's own events remain.
        FlowRecordSink sink = flowSink;
        if (sink != null) {
            return sink.recentEvents();
        }
        MeshNodeAccess current = access;
        return current == null ? List.of() : current.recentFlows();
    }

    @Override
    public Optional<FlowBufferStatus> flowBuffer() {
        FlowRecordSink sink = flowSink;
        if (sink == null) {
            return Optional.empty();
        }
        FlowRecordSink.Status status = sink.bufferStatus();
        return Optional.of(new FlowBufferStatus(status.buffered(), status.capacity(), status.dropped(),
                status.acknowledged()));
    }

    private Optional<MeshNode> meshNode() {
        MeshNodeAccess current = access;
        return current == null ? Optional.empty() : current.node();
    }

    private static String hostAndPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }
}
