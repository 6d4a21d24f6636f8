package io.weft.manager.control.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.control.ControlServer;
import io.weft.control.ControlSettings;
import io.weft.control.ErrorMessage;
import io.weft.fleet.DomainName;
import io.weft.manager.api.events.FleetChange;
import io.weft.manager.apps.api.AppDeployments;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.FlowStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeQuery;
import io.weft.manager.store.NodeState;
import io.weft.manager.store.Page;
import io.weft.manager.store.StoreTransactions;

/**
 * The manager's control plane: the control server with one session per node, the compile
 * worker that recompiles the nodes a change affects and pushes their new states, the app
 * bundles that nodes download, and the batched writes of what nodes report.
 */
final class ControlPlane implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);

    /** The nodes of one recompilation, and the nodes that no longer get a state. */
    private record Selection(List<Node> nodes, Set<String> deleted, Set<String> revoked) {
    }

    private final FleetStore fleet;
    private final PolicySource policies;
    private final ControlPlaneSettings settings;
    private final NodeSessions sessions = new NodeSessions();
    private final StatePublisher publisher;
    private final DesiredStateCompiler compiler;
    private final ArtifactServer artifacts;
    private final CompileQueue queue;
    private final ControlStateFlusher flusher;
    private final ControlServer server;
    private final Clock clock;

    ControlPlane(ManagerPki pki, FleetStore fleet, ControlStore controlStore, StoreTransactions transactions,
            FlowStore flowStore, ControlPlaneSettings settings, PolicySource policies, Clock clock) {
        this(pki, fleet, controlStore, transactions, flowStore, settings, policies, NoApps.INSTANCE, clock);
    }

    ControlPlane(ManagerPki pki, FleetStore fleet, ControlStore controlStore, StoreTransactions transactions,
            FlowStore flowStore, ControlPlaneSettings settings, PolicySource policies, AppDeployments apps,
            Clock clock) {
        this.fleet = Objects.requireNonNull(fleet, "fleet");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.publisher = new StatePublisher(pki, sessions, controlStore);
        this.compiler = new DesiredStateCompiler(pki, controlStore, transactions, new EffectiveConfigurations(fleet),
                policies, apps, clock);
        this.artifacts = new ArtifactServer(apps);
        this.queue = new CompileQueue(this::recompile);
        this.flusher = new ControlStateFlusher(controlStore, transactions, sessions,
                Duration.ofSeconds(settings.heartbeatIntervalSeconds()), clock);
        ControlSessionHandler handler = new ControlSessionHandler(fleet, controlStore, pki, sessions, publisher, queue,
                flusher, new FlowIntake(flowStore), settings.heartbeatIntervalSeconds(), clock,
                new ControlSessionHandler.Apps(apps, artifacts));
        ControlSettings serverSettings = ControlSettings.defaults()
                .withHeartbeatIntervalSeconds(settings.heartbeatIntervalSeconds())
                .withHandlerThreads(settings.handlerThreads());
        this.server = new ControlServer(pki.controlServerContext(), serverSettings, handler);
    }

    /**
     * Starts the batched writes, binds the control server and recompiles every node, so
     * changes made while the control plane was stopped reach the nodes.
     *
     * @return the address that the server bound
     */
    InetSocketAddress start() throws IOException {
        flusher.start(settings.flushInterval());
        InetSocketAddress bound = server.bind(new InetSocketAddress(settings.host(), settings.port()));
        queue.requestAll();
        return bound;
    }

    /** Queues the recompilation of the nodes that a committed change affects. */
    void changed(FleetChange change) {
        switch (change.scope()) {
            case DOMAIN_SUBTREE -> queue.requestSubtree(change.target());
            case NODE -> queue.requestNode(change.target());
            default -> throw new IllegalArgumentException("Unknown fleet change scope " + change.scope());
        }
    }

    /** Closes the revoked node's session and queues the recompilation of every node, whose revoked serials changed. */
    void revoked(String nodeId) {
        disconnect(nodeId, ControlSessionHandler.NODE_REVOKED, "The certificates of node " + nodeId
                + " were revoked. Create a new node record and enroll the node with a new enrollment token.");
        queue.requestAll();
    }

    /** Queues the recompilation of every node, for example after the policy changed. */
    void recompileAll() {
        queue.requestAll();
    }

    boolean isOnline(String nodeId) {
        return sessions.isOnline(nodeId);
    }

    int onlineCount() {
        return sessions.onlineCount();
    }

    Optional<Instant> lastSeen(String nodeId) {
        return sessions.lastSeen(nodeId);
    }

    /** Waits until the changes requested before this call are compiled and sent; for tests and benchmarks. */
    boolean awaitCompiled(Duration timeout) throws InterruptedException {
        return queue.awaitCompiled(timeout.toMillis());
    }

    /** Writes the batched reports now; for tests and benchmarks. */
    void flush() {
        flusher.flush();
    }

    @Override
    public void close() {
        server.close();
        queue.close();
        flusher.close();
    }

    private void recompile(Recompilation request) {
        long started = System.nanoTime();
        Selection selection = select(request);
        selection.deleted().forEach(nodeId -> {
            disconnect(nodeId, ControlSessionHandler.UNKNOWN_NODE, "Node " + nodeId + " was deleted.");
            sessions.forget(nodeId);
        });
        selection.revoked().forEach(nodeId -> disconnect(nodeId, ControlSessionHandler.NODE_REVOKED,
                "Node " + nodeId + " is revoked."));

        List<CompletableFuture<Void>> sending = new ArrayList<>();
        List<CompiledState> states = compiler.compile(selection.nodes(),
                request.allNodes() ? selection::nodes : this::listFleet,
                committed -> sending.add(CompletableFuture.runAsync(() -> publishAll(committed))));
        awaitSent(sending);
        if (!request.allNodes() && compiler.appHostsChanged()) {
            LOG.debug("Desired state: the nodes that host apps changed, so every node gets the new locations");
            queue.requestAll();
        }

        long changed = states.stream().filter(CompiledState::changed).count();
        long millis = (System.nanoTime() - started) / 1_000_000;
        if (changed > 0) {
            LOG.info("Desired state: compiled {} nodes, {} with a new revision, in {} ms", states.size(), changed,
                    millis);
        } else {
            LOG.debug("Desired state: compiled {} nodes, none changed, in {} ms", states.size(), millis);
        }
    }

    /**
     * Signs and sends the states on all cores, because signing is most of the CPU time of a
     * change that reaches thousands of nodes. Each node's states still go out in revision order.
     */
    static void publishAll(StatePublisher publisher, List<CompiledState> states) {
        states.parallelStream().forEach(publisher::publish);
    }

    /**
     * Waits until every batch handed to the publisher has gone out, so that the states of the
     * next compilation follow these in revision order. A failure of one batch is rethrown
     * after all others finished.
     */
    private static void awaitSent(List<CompletableFuture<Void>> sending) {
        try {
            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    private void publishAll(List<CompiledState> states) {
        states.forEach(state -> artifacts.allow(state.nodeId(), state.document().deployments()));
        publishAll(publisher, states);
    }

    private Selection select(Recompilation request) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        Set<String> deleted = new HashSet<>();
        if (request.allNodes()) {
            listNodes(Optional.empty(), nodes);
            deleted.addAll(publisher.nodesWithState());
            deleted.addAll(sessions.onlineNodes());
            deleted.addAll(request.nodeIds());
            deleted.removeAll(nodes.keySet());
        } else {
            request.domainSubtrees().forEach(domain -> listNodes(Optional.of(domain), nodes));
            selectChangedNodes(request.nodeIds(), nodes, deleted);
        }

        List<Node> compiled = new ArrayList<>(nodes.size());
        Set<String> revoked = new HashSet<>();
        for (Node node : nodes.values()) {
            if (node.state() == NodeState.REVOKED) {
                revoked.add(node.id());
            } else {
                compiled.add(node);
            }
        }
        return new Selection(compiled, deleted, revoked);
    }

    /**
     * Adds each changed node and the nodes whose peer directories may list it. These are the
     * nodes of those attachment domains of attribute-reading rules that contain the changed
     * node. The domain of a deleted node is gone, so a deletion selects every node when such
     * rules exist.
     */
    private void selectChangedNodes(Set<String> nodeIds, Map<String, Node> nodes, Set<String> deleted) {
        Set<DomainName> attributeDomains = nodeIds.isEmpty() ? Set.of() : policies.attributeRuleDomains();
        Set<DomainName> dependentSubtrees = new TreeSet<>(Comparator.comparing(DomainName::toString));
        boolean anyDeleted = false;
        for (String nodeId : nodeIds) {
            Optional<Node> changed = fleet.findNode(nodeId);
            if (changed.isEmpty()) {
                deleted.add(nodeId);
                anyDeleted = true;
                continue;
            }
            nodes.putIfAbsent(nodeId, changed.get());
            DomainName domain = DomainName.of(changed.get().domain());
            attributeDomains.stream().filter(domain::isWithin).forEach(dependentSubtrees::add);
        }
        if (anyDeleted && !attributeDomains.isEmpty()) {
            listNodes(Optional.empty(), nodes);
            return;
        }
        dependentSubtrees.forEach(subtree -> listNodes(Optional.of(subtree.toString()), nodes));
    }

    private List<Node> listFleet() {
        Map<String, Node> all = new LinkedHashMap<>();
        listNodes(Optional.empty(), all);
        return new ArrayList<>(all.values());
    }

    private void listNodes(Optional<String> subtree, Map<String, Node> into) {
        NodeQuery query = NodeQuery.all().withLimit(NodeQuery.MAX_LIMIT);
        if (subtree.isPresent()) {
            query = query.inSubtree(subtree.get());
        }
        while (true) {
            Page<Node> page = fleet.listNodes(query);
            page.items().forEach(node -> into.put(node.id(), node));
            if (page.nextCursor().isEmpty()) {
                return;
            }
            query = query.after(page.nextCursor().get());
        }
    }

    /**
     * Takes the node offline: sends an ERROR to its session, closes it, and drops the node's
     * signed state.
     */
    private void disconnect(String nodeId, String code, String message) {
        publisher.forget(nodeId);
        artifacts.forget(nodeId);
        sessions.online(nodeId).ifPresent(online -> {
            sessions.closed(online.session(), clock.instant());
            LOG.info("Control: closing the session of node '{}' on {}: {}", nodeId, online.session().remoteAddress(),
                    message);
            online.session().send(new ErrorMessage(code, message));
            online.session().close();
        });
    }
}
