package io.weft.manager.control.internal;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.control.ArtifactRequest;
import io.weft.control.ControlListener;
import io.weft.control.ControlMessage;
import io.weft.control.ControlProtocol;
import io.weft.control.ControlSession;
import io.weft.control.ErrorMessage;
import io.weft.control.FlowRecords;
import io.weft.control.Hello;
import io.weft.control.HelloAck;
import io.weft.control.RenewRequest;
import io.weft.control.RenewResponse;
import io.weft.control.StateAck;
import io.weft.control.Status;
import io.weft.manager.apps.api.AppDeployments;
import io.weft.manager.control.internal.NodeSessions.NodeSession;
import io.weft.manager.pki.api.IssuedNodeCertificate;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeState;
import io.weft.manager.store.StoreException;
import io.weft.pki.Pem;
import io.weft.pki.PkiException;

/**
 * Handles the messages of control sessions on the handler threads: identifies the node at its
 * HELLO, hands it its desired state and the app bundles that it names, and records its
 * reports, acknowledgements, renewals and flow records.
 */
final class ControlSessionHandler implements ControlListener {

    static final String UNKNOWN_NODE = "unknown-node";
    static final String NODE_REVOKED = ErrorMessage.NODE_REVOKED;
    static final String INVALID_IDENTITY = "invalid-identity";

    private static final Logger LOG = LoggerFactory.getLogger(ControlSessionHandler.class);

    private final FleetStore fleet;
    private final ControlStore controlStore;
    private final ManagerPki pki;
    private final NodeSessions sessions;
    private final StatePublisher publisher;
    private final CompileQueue queue;
    private final ControlStateFlusher flusher;
    private final FlowIntake flows;
    private final int heartbeatIntervalSeconds;
    private final Clock clock;
    private final Apps apps;

    /** The app deployments that receive node reports, and the server of their bundles. */
    record Apps(AppDeployments deployments, ArtifactServer artifacts) {
    }

    ControlSessionHandler(FleetStore fleet, ControlStore controlStore, ManagerPki pki, NodeSessions sessions,
            StatePublisher publisher, CompileQueue queue, ControlStateFlusher flusher, FlowIntake flows,
            int heartbeatIntervalSeconds, Clock clock) {
        this(fleet, controlStore, pki, sessions, publisher, queue, flusher, flows, heartbeatIntervalSeconds, clock,
                new Apps(NoApps.INSTANCE, new ArtifactServer(NoApps.INSTANCE)));
    }

    ControlSessionHandler(FleetStore fleet, ControlStore controlStore, ManagerPki pki, NodeSessions sessions,
            StatePublisher publisher, CompileQueue queue, ControlStateFlusher flusher, FlowIntake flows,
            int heartbeatIntervalSeconds, Clock clock, Apps apps) {
        this.apps = Objects.requireNonNull(apps, "apps");
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.controlStore = Objects.requireNonNull(controlStore, "controlStore");
        this.pki = Objects.requireNonNull(pki, "pki");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.flusher = Objects.requireNonNull(flusher, "flusher");
        this.flows = Objects.requireNonNull(flows, "flows");
        this.heartbeatIntervalSeconds = heartbeatIntervalSeconds;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void messageReceived(ControlSession session, ControlMessage message) {
        if (message instanceof Hello hello) {
            hello(session, hello);
            return;
        }
        Optional<NodeSession> node = sessions.of(session);
        if (node.isEmpty()) {
            LOG.debug("Control: ignored {} on {}, which belongs to no accepted node", message.type(), session);
            return;
        }

        sessions.seen(node.get().nodeId(), clock.instant());
        if (message instanceof Status status) {
            node.get().weftVersion(status.weftVersion());
            appReport(node.get(), status);
        } else if (message instanceof ArtifactRequest request) {
            apps.artifacts().serve(node.get().nodeId(), session, request);
        } else if (message instanceof StateAck ack) {
            stateAck(node.get(), ack);
        } else if (message instanceof RenewRequest request) {
            renew(node.get(), request);
        } else if (message instanceof FlowRecords batch) {
            flows.receive(node.get().nodeId(), batch).ifPresent(session::send);
        } else if (message instanceof ErrorMessage error) {
            LOG.info("Control: node '{}' on {} reported error {}: {}", node.get().nodeId(), session.remoteAddress(),
                    error.code(), error.message());
        }
    }

    @Override
    public void sessionClosed(ControlSession session) {
        sessions.closed(session, clock.instant())
                .ifPresent(node -> LOG.debug("Control: node '{}' went offline ({})", node.nodeId(), session));
    }

    private void hello(ControlSession session, Hello hello) {
        Optional<String> nodeId = identify(session);
        if (nodeId.isEmpty()) {
            return;
        }
        HelloAck ack = HelloAck.negotiate(ControlProtocol.SUPPORTED_VERSIONS, hello, heartbeatIntervalSeconds);
        session.send(ack);
        if (!ack.accepted()) {
            LOG.warn("Control: rejected node '{}' from {}: {}", nodeId.get(), session.remoteAddress(), ack.reason());
            return;
        }

        NodeSession accepted = new NodeSession(nodeId.get(), session, hello.weftVersion());
        sessions.accept(accepted, clock.instant()).ifPresent(replaced -> {
            LOG.info("Control: node '{}' connected again from {}, closing its previous session {}", nodeId.get(),
                    session.remoteAddress(), replaced.session());
            replaced.session().close();
        });
        if (!publisher.sendLatest(nodeId.get(), session)) {
            queue.requestNode(nodeId.get());
        }
    }

    /**
     * Returns the id of an existing, unrevoked node from the session's certificate, or sends
     * an ERROR, closes the session and returns empty.
     */
    private Optional<String> identify(ControlSession session) {
        String nodeId;
        try {
            nodeId = NodeIdentity.nodeId(session.peerCertificate());
        } catch (IllegalArgumentException e) {
            reject(session, "(none)", INVALID_IDENTITY, "The client certificate identifies no node: " + e.getMessage());
            return Optional.empty();
        }

        Optional<Node> node = fleet.findNode(nodeId);
        if (node.isEmpty()) {
            reject(session, nodeId, UNKNOWN_NODE, "Node " + nodeId + " does not exist on this manager. Create the"
                    + " node record and enroll the node with a new enrollment token.");
            return Optional.empty();
        }
        if (node.get().state() == NodeState.REVOKED) {
            reject(session, nodeId, NODE_REVOKED, "Node " + nodeId + " ('" + node.get().fullName() + "') is revoked."
                    + " Create a new node record and enroll the node with a new enrollment token.");
            return Optional.empty();
        }
        return Optional.of(nodeId);
    }

    private static void reject(ControlSession session, String nodeId, String code, String message) {
        LOG.warn("Control: rejected node '{}' from {}: {}", nodeId, session.remoteAddress(), message);
        session.send(new ErrorMessage(code, message));
        session.close();
    }

    private void appReport(NodeSession node, Status status) {
        String report = status.extensions().get(AppDeployments.STATUS_KEY);
        if (report == null) {
            return;
        }
        try {
            apps.deployments().nodeReported(node.nodeId(), report);
        } catch (StoreException e) {
            LOG.warn("Deployments: handling the app report of node '{}' failed: {}", node.nodeId(), e.getMessage());
        }
    }

    private void stateAck(NodeSession node, StateAck ack) {
        if (ack.outcome() == StateAck.Outcome.APPLIED) {
            flusher.applied(node.nodeId(), ack.revision(), clock.instant(), node.weftVersion());
            return;
        }
        LOG.warn("Desired state: node '{}' rejected revision {}: {}", node.nodeId(), ack.revision(), ack.reason());
        try {
            controlStore.recordRejection(node.nodeId(), "revision " + ack.revision() + ": " + ack.reason());
        } catch (StoreException e) {
            LOG.warn("Desired state: recording the rejection of node '{}' failed: {}", node.nodeId(), e.getMessage());
        }
    }

    private void renew(NodeSession node, RenewRequest request) {
        RenewResponse response;
        try {
            IssuedNodeCertificate issued = pki.issueNodeCertificate(node.nodeId(),
                    request.csrPem().getBytes(StandardCharsets.US_ASCII), false);
            response = RenewResponse.issued(Pem.toPem(issued.chain()));
            LOG.info("Control: renewed the certificate of node '{}', new serial {}", node.nodeId(),
                    issued.certificate().getSerialNumber().toString(16));
        } catch (PkiException | StoreException | IllegalArgumentException e) {
            LOG.warn("Control: renewing the certificate of node '{}' from {} failed: {}", node.nodeId(),
                    node.session().remoteAddress(), e.getMessage());
            response = RenewResponse.failed("Renewal failed: " + e.getMessage());
        }
        node.session().send(response);
    }
}
