package io.weft.node.agent.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.control.ArtifactChunk;
import io.weft.control.ControlMessage;
import io.weft.control.ControlProtocol;
import io.weft.control.ControlSession;
import io.weft.control.ControlSettings;
import io.weft.control.DesiredState;
import io.weft.control.ErrorMessage;
import io.weft.control.FlowAck;
import io.weft.control.Hello;
import io.weft.control.RenewRequest;
import io.weft.control.RenewResponse;
import io.weft.control.StateAck;
import io.weft.control.Status;
import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.FlowRecordSink;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeStateListener;
import io.weft.pki.EnrollmentToken;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node side of the management plane, without OSGi: it loads the identity, applies the
 * stored desired state, keeps the control connection, handles desired states, renewals and
 * artifact downloads, sends the status with the extensions of other bundles, and enrolls
 * with a token. All work runs on one agent thread, so the parts need no locks;
 * {@link #enroll} talks to the manager on the caller's thread and stores the result on the
 * agent thread.
 */
final class NodeAgent implements Enrollment, NodeStatusSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgent.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long STOP_TIMEOUT_SECONDS = 10;

    /**
     * Settings of the agent: its folders and the Weft version that it reports to the manager.
     *
     * @param identityDirectory the identity's directory, mode 0700
     * @param stateDirectory    the stored desired state's directory, mode 0700
     * @param tokenFile         the first-boot enrollment token file
     * @param weftVersion       the Weft release that HELLO and STATUS report
     * @param controlSettings   the control connection's session settings
     * @param flowBufferRecords maximum number of flow records that wait for the manager
     */
    record Settings(Path identityDirectory, Path stateDirectory, Path tokenFile, String weftVersion,
            ControlSettings controlSettings, int flowBufferRecords) {
    }

    /** Time between two attempts to send buffered flow records. */
    static final Duration FLOW_FLUSH_INTERVAL = Duration.ofSeconds(1);

    private final Settings settings;
    private final LongSupplier uptimeMillis;
    private final ScheduledExecutorService executor;
    private final IdentityStore identityStore;
    private final DesiredStateProcessor states;
    private final Enroller enroller;
    private final ControlConnection connection;
    private final CertificateRenewal renewal;
    private final TokenFileEnrollment tokenFile;
    private final NodeStateListener listener;
    private final FlowBuffer flows;
    private final FlowUploader flowUploader;
    private final ArtifactDownloads downloads;
    private final Map<String, String> extensions = new ConcurrentHashMap<>();

    private volatile NodeIdentity identity;
    private volatile String identityProblem;
    private AppliedState publishedState = AppliedState.NONE;

    /**
     * @param nanoClock    the source of elapsed time, {@code System::nanoTime} outside tests
     * @param uptimeMillis the node's uptime that HELLO and STATUS report
     */
    NodeAgent(Settings settings, StateApplier applier, Clock clock, LongSupplier nanoClock, SecureRandom random,
            LongSupplier uptimeMillis) {
        this(settings, applier, clock, nanoClock, random, uptimeMillis, new NodeStateListener() {
            @Override
            public void identityChanged(Identity identity) {
            }

            @Override
            public void stateApplied(AppliedState state) {
            }
        });
    }

    /**
     * @param listener receives every new identity and applied state on the agent thread
     */
    NodeAgent(Settings settings, StateApplier applier, Clock clock, LongSupplier nanoClock, SecureRandom random,
            LongSupplier uptimeMillis, NodeStateListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.uptimeMillis = Objects.requireNonNull(uptimeMillis, "uptimeMillis");
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "weft-node-agent");
            thread.setDaemon(true);
            return thread;
        });
        this.identityStore = new IdentityStore(settings.identityDirectory());
        this.states = new DesiredStateProcessor(new StateStore(settings.stateDirectory()), applier, clock);
        this.enroller = new Enroller(new EnrollmentClient(clock, random), clock, random);
        this.connection = new ControlConnection(executor, settings.controlSettings(), this::hello,
                states::revokedSerials, new ControlEvents(), clock, nanoClock, random);
        this.renewal = new CertificateRenewal(executor, clock, nanoClock, random, this::sendRenewal);
        this.tokenFile = new TokenFileEnrollment(settings.tokenFile(), executor, enroller, this::install, random);
        this.flows = new FlowBuffer(settings.flowBufferRecords());
        this.flowUploader = new FlowUploader(flows, nanoClock, random);
        this.downloads = new ArtifactDownloads(executor, connection::session);
    }

    /** Starts the agent on its thread; returns at once. */
    void start() {
        executor.execute(this::startOnAgentThread);
        executor.scheduleWithFixedDelay(flowUploader::flush, FLOW_FLUSH_INTERVAL.toMillis(),
                FLOW_FLUSH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues a flow record for the manager; callable from any thread. */
    void recordFlow(FlowEvent event) {
        flows.add(event);
    }

    FlowRecordSink.Status flowStatus() {
        return flows.status();
    }

    List<FlowEvent> recentFlows() {
        return flows.recent();
    }

    /**
     * Enrolls as {@link Enrollment#enroll} describes: talks to the manager on the caller's thread
     * and reads and stores the identity on the agent thread. Logs each failure once as a warning,
     * because the shell shows the message only to the operator who ran the command.
     */
    @Override
    public EnrollmentResult enroll(String tokenText, boolean replaceIdentity) throws EnrollmentException {
        NodeIdentity enrolled;
        try {
            enrolled = enrollAndInstall(tokenText, replaceIdentity);
        } catch (EnrollmentException e) {
            LOG.warn("Enrollment: weft:enroll failed: {}", e.getMessage());
            throw e;
        }
        return new EnrollmentResult(enrolled.record().nodeId(), enrolled.record().nodeName(), enrolled.serialHex(),
                enrolled.notAfter(), enrolled.record().controlAddress());
    }

    private NodeIdentity enrollAndInstall(String tokenText, boolean replaceIdentity) throws EnrollmentException {
        EnrollmentToken token = enroller.decode(tokenText);
        Optional<IdentityRecord> enrolledAs = onAgentThread(this::enrolledRecord,
                "Reading the stored identity in " + identityStore.directory() + " failed",
                "Nothing was changed. Fix the directory and run weft:enroll again.");
        IdentityConflict.check(enrolledAs, token.nodeId(), replaceIdentity, false);

        NodeIdentity enrolled = enroller.enroll(token, tokenText);

        onAgentThread(() -> {
            // Checked again, because a token file or another weft:enroll may have enrolled the node meanwhile.
            IdentityConflict.check(enrolledRecord(), enrolled.record().nodeId(), replaceIdentity, true);
            install(enrolled);
            return null;
        }, "The manager issued a certificate, but storing the identity in " + identityStore.directory() + " failed",
                "Fix the directory and enroll again with a new token.");
        return enrolled;
    }

    /**
     * Runs an enrollment step on the agent thread and returns its result.
     *
     * @param failure  what failed, the start of the message when the step throws anything but an
     *                 {@link EnrollmentException}
     * @param nextStep what the operator does then, the end of that message
     */
    private <T> T onAgentThread(Callable<T> step, String failure, String nextStep) throws EnrollmentException {
        try {
            return executor.submit(step).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof EnrollmentException rejected) {
                throw rejected;
            }
            throw new EnrollmentException(failure + ": " + e.getCause().getMessage() + ". " + nextStep, false,
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EnrollmentException("The enrollment was interrupted before the identity was stored.", false, e);
        } catch (RejectedExecutionException e) {
            throw new EnrollmentException("The node agent is stopping, so the identity was not stored.", false, e);
        }
    }

    @Override
    public NodeStatus status() {
        NodeIdentity current = identity;
        long applied = states.appliedRevision();
        List<String> skipped = List.copyOf(states.skippedPids());
        if (current == null) {
            return new NodeStatus(identityProblem != null, identityProblem, null, null, null, null, null, null,
                    null, null, states.lastReceivedRevision(), applied, skipped);
        }
        return new NodeStatus(true, null, current.record().nodeId(), current.record().nodeName(),
                current.serialHex(), current.notAfter(), current.record().controlAddress(),
                connection.connectedSince(), connection.lastError(), connection.nextRetryAt(),
                Math.max(states.lastReceivedRevision(), applied), applied, skipped);
    }

    /** Returns the identity for the node state API, empty before enrollment. */
    Optional<Identity> identity() {
        NodeIdentity current = identity;
        return current == null ? Optional.empty() : Optional.of(current.toApi());
    }

    AppliedState appliedState() {
        return states.appliedState();
    }

    /**
     * Runs {@code task} on the agent thread, after the work queued before it, so that it reads
     * the identity and state that the listeners received.
     */
    void execute(Runnable task) {
        try {
            executor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("Node agent: stopped, so a task was dropped");
        }
    }

    /** Downloads an artifact that the applied state names over the control connection. */
    CompletableFuture<Path> download(String sha256, long size, Path target) {
        return downloads.start(sha256, size, target);
    }

    /** Sets a status extension and sends a new status when connected. */
    void publishExtension(String key, String json) {
        execute(() -> {
            extensions.put(key, json);
            connection.session().ifPresent(session -> session.send(statusMessage()));
        });
    }

    @Override
    public void close() {
        try {
            executor.submit(() -> {
                tokenFile.cancel();
                renewal.stop();
                connection.stop();
            }).get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Node agent: stopping the control connection failed: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RejectedExecutionException e) {
            LOG.debug("Node agent: already stopped");
        }
        executor.shutdownNow();
    }

    private void startOnAgentThread() {
        NodeIdentity loaded;
        try {
            if (!identityStore.exists()) {
                tokenFile.start();
                return;
            }
            loaded = identityStore.load();
        } catch (IdentityException | IOException e) {
            identityProblem = e.getMessage();
            LOG.error("Identity: {}", e.getMessage());
            return;
        }
        identity = loaded;
        LOG.info("Node agent: node '{}' ({}), certificate serial {} valid until {}, manager {}",
                loaded.record().nodeId(), loaded.record().nodeName(), loaded.serialHex(), loaded.notAfter(),
                loaded.record().controlAddress());
        listener.identityChanged(loaded.toApi());
        states.restore(loaded);
        publishState();
        connection.start(loaded);
        renewal.start(loaded);
    }

    /**
     * Returns the node's identity record: the loaded identity's, or, when the stored identity
     * failed to load, its record file's. Runs on the agent thread.
     */
    private Optional<IdentityRecord> enrolledRecord() {
        NodeIdentity current = identity;
        if (current != null) {
            return Optional.of(current.record());
        }
        try {
            return identityStore.loadRecord();
        } catch (IdentityException | IOException e) {
            // The start logged why the identity is unusable, and with no readable record there is
            // no node id to keep, so the enrollment may replace what is left.
            LOG.debug("Enrollment: the stored identity record is unreadable: {}", e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores a new identity and restarts the connection and renewal with it. Runs on the agent thread. */
    private void install(NodeIdentity enrolled) throws IOException {
        Optional<IdentityRecord> previous = enrolledRecord();
        identityStore.save(enrolled);
        identity = enrolled;
        identityProblem = null;
        tokenFile.cancel();
        LOG.info("Enrollment: stored the identity of node '{}' ({}), certificate serial {} valid until {}",
                enrolled.record().nodeId(), enrolled.record().nodeName(), enrolled.serialHex(), enrolled.notAfter());

        if (previous.isPresent() && !previous.get().nodeId().equals(enrolled.record().nodeId())) {
            LOG.warn("Enrollment: replaced the identity of node '{}' ({}) with node '{}' ({}), so the stored desired"
                    + " state is discarded", previous.get().nodeName(), previous.get().nodeId(),
                    enrolled.record().nodeName(), enrolled.record().nodeId());
            states.discard();
        }
        listener.identityChanged(enrolled.toApi());
        if (states.appliedRevision() == 0) {
            states.restore(enrolled);
        }
        publishState();
        connection.start(enrolled);
        renewal.start(enrolled);
    }

    /** Sends the applied state to the listener unless the listener received this state already. */
    private void publishState() {
        AppliedState current = states.appliedState();
        if (!current.equals(publishedState)) {
            publishedState = current;
            listener.stateApplied(current);
        }
    }

    private Hello hello() {
        return new Hello(ControlProtocol.SUPPORTED_VERSIONS, settings.weftVersion(), states.appliedRevision(),
                uptimeMillis.getAsLong());
    }

    private Status statusMessage() {
        NodeIdentity current = identity;
        String skipped;
        try {
            skipped = JSON.writeValueAsString(states.skippedPids());
        } catch (IOException e) {
            throw new IllegalStateException("Writing PIDs as JSON failed", e);
        }
        Map<String, String> values = new HashMap<>(extensions);
        values.put("skippedPids", skipped);
        values.put("certificateNotAfter", current.notAfter().toString());
        return new Status(settings.weftVersion(), uptimeMillis.getAsLong(), states.appliedRevision(), values);
    }

    private boolean sendRenewal(RenewRequest request) {
        Optional<ControlSession> session = connection.session();
        session.ifPresent(open -> open.send(request));
        return session.isPresent();
    }

    private void renewed(RenewResponse response) {
        Optional<NodeIdentity> renewedIdentity = renewal.accept(response);
        if (renewedIdentity.isEmpty()) {
            return;
        }
        NodeIdentity renewed = renewedIdentity.get();
        try {
            identityStore.save(renewed);
        } catch (IOException | RuntimeException e) {
            LOG.error("Renewal: storing the renewed certificate in {} failed, so the node keeps certificate serial {}:"
                    + " {}", identityStore.directory(), identity.serialHex(), e.getMessage());
            return;
        }
        identity = renewed;
        listener.identityChanged(renewed.toApi());
        LOG.info("Renewal: stored certificate serial {} of node '{}', valid until {}; reconnecting with it",
                renewed.serialHex(), renewed.record().nodeId(), renewed.notAfter());
        connection.start(renewed);
        renewal.start(renewed);
    }

    /** Reactions to the control connection, on the agent thread. */
    private final class ControlEvents implements ControlConnection.Events {

        @Override
        public void connected(ControlSession session) {
            downloads.sessionReplaced();
            session.send(statusMessage());
            renewal.connected();
            flowUploader.connected(session);
        }

        @Override
        public void received(ControlSession session, ControlMessage message) {
            if (message instanceof DesiredState state) {
                long before = states.appliedRevision();
                StateAck ack = states.receive(identity, state);
                session.send(ack);
                if (states.appliedRevision() != before) {
                    publishState();
                    session.send(statusMessage());
                }
            } else if (message instanceof RenewResponse response) {
                renewed(response);
            } else if (message instanceof FlowAck ack) {
                flowUploader.acknowledged(session, ack);
            } else if (message instanceof ArtifactChunk chunk) {
                downloads.chunk(chunk);
            } else if (message instanceof ErrorMessage error) {
                downloads.rejected(error);
            } else {
                LOG.debug("Control: ignored a {} message", message.type());
            }
        }
    }
}
