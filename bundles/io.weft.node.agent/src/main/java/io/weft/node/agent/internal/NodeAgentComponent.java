package io.weft.node.agent.internal;

import io.weft.control.ControlSettings;
import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.ArtifactSource;
import io.weft.node.agent.api.FlowEvent;
import io.weft.node.agent.api.FlowRecordSink;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeState;
import io.weft.node.agent.api.NodeStateListener;
import io.weft.node.agent.api.StatusExtensions;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agent in OSGi, configured by PID {@value #PID}: it wires {@link NodeAgent} to
 * Configuration Admin and Karaf's folders, and registers the services behind
 * {@code weft:enroll} and {@code weft:status}, {@link NodeState} with the whiteboard of
 * {@link NodeStateListener}s, {@link ArtifactSource} and {@link StatusExtensions}. A configuration change restarts the agent.
 */
@Component(name = NodeAgentComponent.PID, configurationPid = NodeAgentComponent.PID, immediate = true,
        service = {Enrollment.class, NodeStatusSource.class, NodeState.class, FlowRecordSink.class,
            ArtifactSource.class, StatusExtensions.class})
@Designate(ocd = NodeAgentComponent.Config.class)
public final class NodeAgentComponent implements Enrollment, NodeStatusSource, NodeState, FlowRecordSink,
        ArtifactSource, StatusExtensions {

    static final String PID = "io.weft.node.agent";
    static final String VERSION_HEADER = "Weft-Version";

    private static final Logger LOG = LoggerFactory.getLogger(NodeAgentComponent.class);

    @ObjectClassDefinition(name = "Weft node agent",
            description = "Enrollment, the control connection to the manager and the desired state of this node.")
    public @interface Config {

        @AttributeDefinition(name = "Data directory",
                description = "Directory that contains the identity (identity/) and the last applied desired state"
                        + " (state/). Empty means the folder weft in Karaf's data folder (karaf.data).")
        String dataDirectory() default "";

        @AttributeDefinition(name = "Enrollment token file",
                description = "File with an enrollment token that a node without identity uses at start, then"
                        + " deletes. Empty means weft-enroll.token in Karaf's etc folder (karaf.etc).")
        String enrollmentTokenFile() default "";

        @AttributeDefinition(name = "Flow buffer (records)",
                description = "Maximum number of mesh flow records that wait for the manager, for example while it is"
                        + " away. When the buffer is full the oldest record is dropped and counted.")
        int flowBufferRecords() default DEFAULT_FLOW_BUFFER_RECORDS;
    }

    static final int DEFAULT_FLOW_BUFFER_RECORDS = 10_000;

    private final StateListeners listeners = new StateListeners();
    private final NodeAgent agent;

    @Activate
    public NodeAgentComponent(BundleContext context, @Reference ConfigurationAdmin configurationAdmin,
            Config config) {
        Path data = config.dataDirectory().isBlank() ? defaultDataDirectory(context)
                : Path.of(config.dataDirectory().strip());
        Path tokenFile = config.enrollmentTokenFile().isBlank() ? defaultTokenFile(context, data)
                : Path.of(config.enrollmentTokenFile().strip());
        String version = context.getBundle().getHeaders("").get(VERSION_HEADER);
        NodeAgent.Settings settings = new NodeAgent.Settings(data.resolve("identity"), data.resolve("state"),
                tokenFile, version == null || version.isBlank() ? "unknown" : version.strip(),
                ControlSettings.defaults(), flowBufferRecords(config));

        LOG.info("Node agent: starting with data directory {}, token file {}, Weft {}", data, tokenFile,
                settings.weftVersion());
        agent = new NodeAgent(settings, new ConfigurationReconciler(configurationAdmin), Clock.systemUTC(),
                System::nanoTime, new SecureRandom(), () -> ManagementFactory.getRuntimeMXBean().getUptime(),
                listeners);
        agent.start();
    }

    /** Adds a whiteboard listener on the agent thread, so it receives each value once and in order. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addListener(NodeStateListener listener) {
        agent.execute(() -> listeners.add(listener, agent.identity(), agent.appliedState()));
    }

    void removeListener(NodeStateListener listener) {
        listeners.remove(listener);
    }

    @Deactivate
    void deactivate() {
        agent.close();
        LOG.info("Node agent: stopped");
    }

    @Override
    public EnrollmentResult enroll(String token, boolean replaceIdentity) throws EnrollmentException {
        return agent.enroll(token, replaceIdentity);
    }

    @Override
    public NodeStatus status() {
        return agent.status();
    }

    @Override
    public Optional<Identity> identity() {
        return agent.identity();
    }

    @Override
    public AppliedState appliedState() {
        return agent.appliedState();
    }

    @Override
    public void record(FlowEvent event) {
        agent.recordFlow(event);
    }

    @Override
    public FlowRecordSink.Status bufferStatus() {
        return agent.flowStatus();
    }

    @Override
    public List<FlowEvent> recentEvents() {
        return agent.recentFlows();
    }

    private static int flowBufferRecords(Config config) {
        int records = config.flowBufferRecords();
        if (records < 1) {
            LOG.error("Node agent: invalid flowBufferRecords {}; using {}. Set it to 1 or more.", records,
                    DEFAULT_FLOW_BUFFER_RECORDS);
            return DEFAULT_FLOW_BUFFER_RECORDS;
        }
        return records;
    }

    @Override
    public CompletableFuture<Path> download(String sha256, long size, Path target) {
        return agent.download(sha256, size, target);
    }

    @Override
    public void publish(String key, String json) {
        agent.publishExtension(key, json);
    }

    private static Path defaultDataDirectory(BundleContext context) {
        String karafData = context.getProperty("karaf.data");
        if (karafData == null || karafData.isBlank()) {
            return context.getDataFile("weft").toPath();
        }
        return Path.of(karafData, "weft");
    }

    private static Path defaultTokenFile(BundleContext context, Path data) {
        String karafEtc = context.getProperty("karaf.etc");
        if (karafEtc == null || karafEtc.isBlank()) {
            return data.resolve("weft-enroll.token");
        }
        return Path.of(karafEtc, "weft-enroll.token");
    }
}
