package io.weft.manager.control.internal;

import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.control.state.DesiredStateDocument;
import io.weft.control.state.PeerAttributes;
import io.weft.fleet.ProfileValue;
import io.weft.manager.apps.api.AppDeployments;
import io.weft.manager.pki.api.ManagerPki;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeControl;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoreTransactions;
import io.weft.policy.PeerDirectory;

/**
 * Compiles the desired state of nodes: the effective profile, the revoked serials, the
 * policy and peer directory from {@link PolicySource}, and the apps and the locations of other
 * nodes' apps from {@link AppDeployments}. A state whose content equals the stored one keeps its
 * revision. A changed one takes the next value of {@link ControlStore#DESIRED_STATE_REVISION},
 * which is stored before the state is signed and sent.
 *
 * <p>Writes are grouped into transactions of {@value #NODES_PER_TRANSACTION} nodes, so a change
 * of the root domain costs a few commits, not one per node. Not thread-safe: the compile worker
 * is the only caller.
 */
final class DesiredStateCompiler {

    static final int NODES_PER_TRANSACTION = 500;

    /** From this many nodes on, reading the control state of all nodes at once is cheaper than one read per node. */
    private static final int BULK_READ_THRESHOLD = 50;

    private static final Logger LOG = LoggerFactory.getLogger(DesiredStateCompiler.class);

    private final ManagerPki pki;
    private final ControlStore controlStore;
    private final StoreTransactions transactions;
    private final EffectiveConfigurations configurations;
    private final PolicySource policies;
    private final AppDeployments apps;
    private final Clock clock;
    /** The hosts of each app at the last compilation, null before the first; read and written by the compiling thread. */
    private Map<String, Set<String>> appHosts;
    private boolean appHostsChanged;

    DesiredStateCompiler(ManagerPki pki, ControlStore controlStore, StoreTransactions transactions,
            EffectiveConfigurations configurations, PolicySource policies, Clock clock) {
        this(pki, controlStore, transactions, configurations, policies, NoApps.INSTANCE, clock);
    }

    DesiredStateCompiler(ManagerPki pki, ControlStore controlStore, StoreTransactions transactions,
            EffectiveConfigurations configurations, PolicySource policies, AppDeployments apps, Clock clock) {
        this.pki = Objects.requireNonNull(pki, "pki");
        this.controlStore = Objects.requireNonNull(controlStore, "controlStore");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.configurations = Objects.requireNonNull(configurations, "configurations");
        this.policies = Objects.requireNonNull(policies, "policies");
        this.apps = Objects.requireNonNull(apps, "apps");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Compiles the nodes' states. A node whose profile documents are invalid, or whose state
     * cannot be stored, is logged and left out, and the others are still compiled.
     */
    List<CompiledState> compile(List<Node> nodes) {
        return compile(nodes, () -> nodes);
    }

    /**
     * Compiles the nodes' states as {@link #compile(List)} does, with peer directories drawn
     * from {@code fleet}, which returns every node of the fleet.
     */
    List<CompiledState> compile(List<Node> nodes, Supplier<List<Node>> fleet) {
        return compile(nodes, fleet, committed -> { });
    }

    /**
     * Compiles the nodes' states as {@link #compile(List, Supplier)} does, and hands the states
     * of each transaction to {@code committed} as soon as it has committed, so they can be sent
     * while the next nodes compile.
     */
    List<CompiledState> compile(List<Node> nodes, Supplier<List<Node>> fleet,
            Consumer<List<CompiledState>> committed) {
        Set<String> revoked = revokedSerials();
        Map<String, NodeControl> stored = storedControl(nodes);
        EffectiveConfigurations.Compilation compilation = configurations.start();
        Runs runs = new Runs(policies.start(nodes, fleet), apps.start(nodes), new AtomicInteger());
        noteAppHosts(runs.apps().hostsByApp());

        List<CompiledState> compiled = new ArrayList<>(nodes.size());
        for (int start = 0; start < nodes.size(); start += NODES_PER_TRANSACTION) {
            List<Node> chunk = nodes.subList(start, Math.min(nodes.size(), start + NODES_PER_TRANSACTION));
            List<CompiledState> states = compileChunk(chunk, revoked, stored, compilation, runs);
            committed.accept(states);
            compiled.addAll(states);
        }
        int truncated = runs.truncatedDirectories().get();
        if (truncated > 0) {
            LOG.warn("Desired state: the peer directories of {} nodes reached the maximum of {} entries, so these"
                    + " nodes deny flows with unlisted peers that a tag, cluster or role rule could decide. Attach"
                    + " such rules to deeper domains, or select by domain or node where they match many nodes",
                    truncated, PeerDirectory.MAX_PEERS);
        }
        return compiled;
    }

    /**
     * Returns whether the last compilation saw a node start or stop hosting an app. The
     * locations in every other node's state then changed too, so a compilation of some nodes
     * must be followed by one of all.
     */
    boolean appHostsChanged() {
        return appHostsChanged;
    }

    private void noteAppHosts(Map<String, Set<String>> hosts) {
        appHostsChanged = appHosts != null && !appHosts.equals(hosts);
        appHosts = hosts;
    }

    private List<CompiledState> compileChunk(List<Node> chunk, Set<String> revoked, Map<String, NodeControl> stored,
            EffectiveConfigurations.Compilation compilation, Runs runs) {
        try {
            return transactions.inTransaction(() -> {
                List<CompiledState> states = new ArrayList<>(chunk.size());
                for (Node node : chunk) {
                    compileNode(node, revoked, stored, compilation, runs).ifPresent(states::add);
                }
                return states;
            });
        } catch (StoreException e) {
            LOG.warn("Desired state: storing {} states in one transaction failed, so each is stored alone: {}",
                    chunk.size(), e.getMessage());
            return compileEach(chunk, revoked, stored, compilation, runs);
        }
    }

    private List<CompiledState> compileEach(List<Node> chunk, Set<String> revoked, Map<String, NodeControl> stored,
            EffectiveConfigurations.Compilation compilation, Runs runs) {
        List<CompiledState> states = new ArrayList<>(chunk.size());
        for (Node node : chunk) {
            try {
                transactions.inTransaction(() -> compileNode(node, revoked, stored, compilation, runs))
                        .ifPresent(states::add);
            } catch (StoreException e) {
                LOG.warn("Desired state: storing the state of node '{}' ({}) failed: {}", node.fullName(), node.id(),
                        e.getMessage());
            }
        }
        return states;
    }

    private Optional<CompiledState> compileNode(Node node, Set<String> revoked, Map<String, NodeControl> stored,
            EffectiveConfigurations.Compilation compilation, Runs runs) {
        DesiredStateDocument content;
        try {
            content = document(node, revoked, compilation, runs);
        } catch (IllegalStateException | UncheckedIOException e) {
            LOG.error("Desired state: node '{}' ({}) keeps its last state because a profile of its chain is invalid:"
                    + " {}", node.fullName(), node.id(), e.getMessage());
            return Optional.empty();
        }

        String sha256 = content.contentSha256();
        Instant now = clock.instant();
        NodeControl current = stored.get(node.id());
        if (current != null && current.desiredSha256().equals(sha256)) {
            return Optional.of(new CompiledState(node.id(), current.desiredRevision(), false,
                    content.withRevision(current.desiredRevision(), now)));
        }

        long revision = controlStore.nextValue(ControlStore.DESIRED_STATE_REVISION);
        controlStore.setDesiredState(node.id(), revision, sha256, now);
        return Optional.of(new CompiledState(node.id(), revision, true, content.withRevision(revision, now)));
    }

    /** Builds the state at the placeholder revision 1, which the caller replaces after comparing the content. */
    private DesiredStateDocument document(Node node, Set<String> revoked,
            EffectiveConfigurations.Compilation compilation, Runs runs) {
        Map<String, Map<String, ProfileValue>> configurations = AppLocationsConfiguration.with(compilation.of(node),
                runs.apps().locationsFor(node));
        PeerDirectory peers = runs.policies().peersFor(node);
        if (!peers.isComplete()) {
            runs.truncatedDirectories().incrementAndGet();
        }
        return new DesiredStateDocument(node.id(), node.fullName(), 1, clock.instant(), configurations, revoked,
                runs.policies().policyFor(node), runs.apps().deploymentsFor(node), attributes(peers),
                peers.isComplete());
    }

    private static List<PeerAttributes> attributes(PeerDirectory peers) {
        return peers.entries().stream()
                .map(peer -> new PeerAttributes(peer.name(), peer.role(), peer.tags(), peer.cluster()))
                .toList();
    }

    /** The policy and app sources of one compilation, and its count of truncated peer directories. */
    private record Runs(PolicySource.Run policies, AppDeployments.Run apps, AtomicInteger truncatedDirectories) {
    }

    private Set<String> revokedSerials() {
        Set<String> serials = new TreeSet<>();
        for (BigInteger serial : pki.revokedSerials()) {
            serials.add(DesiredStateDocument.serial(serial));
        }
        return serials;
    }

    private Map<String, NodeControl> storedControl(List<Node> nodes) {
        if (nodes.size() >= BULK_READ_THRESHOLD) {
            return controlStore.listNodeControl();
        }
        Map<String, NodeControl> stored = new HashMap<>();
        for (Node node : nodes) {
            controlStore.findNodeControl(node.id()).ifPresent(control -> stored.put(node.id(), control));
        }
        return stored;
    }
}
