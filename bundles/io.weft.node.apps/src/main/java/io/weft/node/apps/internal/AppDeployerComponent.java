package io.weft.node.apps.internal;

import io.weft.control.state.AppDeployment;
import io.weft.node.agent.api.AppliedState;
import io.weft.node.agent.api.ArtifactSource;
import io.weft.node.agent.api.Identity;
import io.weft.node.agent.api.NodeStateListener;
import io.weft.node.agent.api.StatusExtensions;
import io.weft.pki.AppSignatureVerifier;
import io.weft.pki.OwnerOnlyFiles;
import io.weft.pki.TrustVerifier;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's app deployer in OSGi, configured by PID {@value #PID}. It registers itself as a
 * {@link NodeStateListener} and hands each applied desired state to {@link AppDeployer} on its
 * own thread, so the agent thread does not wait for a download or a health check. A state that arrives while one waits in the queue replaces it. It registers {@link InstalledApps} for
 * {@code weft:apps}.
 */
@Component(name = AppDeployerComponent.PID, configurationPid = AppDeployerComponent.PID, immediate = true,
        service = InstalledApps.class)
@Designate(ocd = AppDeployerComponent.Config.class)
public final class AppDeployerComponent implements NodeStateListener, InstalledApps {

    static final String PID = "io.weft.node.apps";
    static final String STATUS_KEY = "deployments";

    private static final Logger LOG = LoggerFactory.getLogger(AppDeployerComponent.class);
    private static final long STOP_TIMEOUT_SECONDS = 30;
    /** Delay before a failed download is tried again. */
    static final long RETRY_SECONDS = 30;

    @ObjectClassDefinition(name = "Weft node apps",
            description = "Deployment of the signed edge apps that the desired state names.")
    public @interface Config {

        @AttributeDefinition(name = "Health check timeout (seconds)",
                description = "Time, in seconds, within which a started app must be ACTIVE with all its components"
                        + " satisfied; otherwise it is rolled back.", min = "1")
        int healthTimeoutSeconds() default 30;

        @AttributeDefinition(name = "Download timeout (seconds)",
                description = "Time, in seconds, that the download of one app bundle may take.", min = "1")
        int downloadTimeoutSeconds() default 300;

        @AttributeDefinition(name = "App folder",
                description = "Folder of the app bundles and their records. Empty means weft/apps in Karaf's data"
                        + " folder (karaf.data).")
        String folder() default "";
    }

    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "weft-node-apps");
        thread.setDaemon(true);
        return thread;
    });
    private final AppDeployer deployer;
    private final ServiceRegistration<NodeStateListener> listener;
    private volatile X509Certificate root;
    private volatile AppliedState state = AppliedState.NONE;
    private final AtomicBoolean queued = new AtomicBoolean();

    @Activate
    public AppDeployerComponent(BundleContext context, Config config, @Reference ArtifactSource artifacts,
            @Reference StatusExtensions status, @Reference ServiceComponentRuntime scr) {
        Path folder = folder(context, config);
        AppDeployer.Timeouts timeouts = new AppDeployer.Timeouts(
                Duration.ofSeconds(requirePositive(config.downloadTimeoutSeconds(), "downloadTimeoutSeconds")),
                Duration.ofSeconds(requirePositive(config.healthTimeoutSeconds(), "healthTimeoutSeconds")));
        try {
            OwnerOnlyFiles.createPrivateDirectory(folder);
        } catch (IOException e) {
            throw new UncheckedIOException("Creating the app folder " + folder + " failed; make it writable by the"
                    + " service user or set another folder in " + PID, e);
        }
        this.deployer = new AppDeployer(folder, new BundleInstaller(context), new AppHealth(scr), artifacts,
                json -> status.publish(STATUS_KEY, json), timeouts, Clock.systemUTC());
        worker.execute(this::load);
        // Registered by hand after activation: as a DS service, the agent's reference to it and
        // this component's references to the agent would form a cycle that SCR refuses.
        this.listener = context.registerService(NodeStateListener.class, this, null);
        LOG.info("Apps: deploying into {} with a health check timeout of {} s and a download timeout of {} s",
                folder, timeouts.health().toSeconds(), timeouts.download().toSeconds());
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        listener.unregister();
        worker.shutdownNow();
        if (!worker.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            LOG.warn("Apps: the deployer thread did not stop within {} s", STOP_TIMEOUT_SECONDS);
        }
    }

    @Override
    public void identityChanged(Identity identity) {
        root = identity.rootCertificate();
        schedule();
    }

    @Override
    public void stateApplied(AppliedState applied) {
        state = applied;
        schedule();
    }

    @Override
    public List<AppStatus> apps() {
        return deployer.statuses();
    }

    /** Queues one reconciliation, unless one is queued already, which then reads the latest state. */
    private void schedule() {
        if (!queued.compareAndSet(false, true)) {
            return;
        }
        try {
            worker.execute(this::reconcile);
        } catch (RejectedExecutionException e) {
            LOG.debug("Apps: the deployer stopped, so a state was not applied");
        }
    }

    private void load() {
        try {
            deployer.load();
        } catch (java.nio.channels.ClosedByInterruptException e) {
            LOG.debug("Apps: stopped while reading the app records");
        } catch (IOException | RuntimeException e) {
            LOG.error("Apps: reading the app records failed, so installed apps are checked again: {}",
                    e.toString());
        }
    }

    private void reconcile() {
        queued.set(false);
        AppliedState applied = state;
        X509Certificate trusted = root;
        if (trusted == null || applied.revision() == 0) {
            // Before the first applied state the node has no list of its apps. Reconciling with an
            // empty list would uninstall the apps that it ran before a restart.
            LOG.debug("Apps: waiting for the identity and an applied state (revision {})", applied.revision());
            return;
        }
        List<AppDeployment> desired = applied.deployments();
        TrustVerifier trust = new TrustVerifier(trusted, applied::revokedSerials, Clock.systemUTC());
        try {
            if (deployer.reconcile(desired, new AppSignatureVerifier(trust))) {
                worker.schedule(this::schedule, RETRY_SECONDS, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("Apps: applying the apps of revision {} failed", applied.revision(), e);
        }
    }

    private static int requirePositive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException("Configuration " + PID + " sets " + name + " to " + value
                    + "; set a positive number of seconds");
        }
        return value;
    }

    private static Path folder(BundleContext context, Config config) {
        if (!config.folder().isBlank()) {
            return Path.of(config.folder().strip());
        }
        String karafData = context.getProperty("karaf.data");
        if (karafData == null || karafData.isBlank()) {
            return context.getDataFile("apps").toPath();
        }
        return Path.of(karafData, "weft", "apps");
    }
}
