package io.weft.node.apps.internal;

import io.weft.control.state.AppDeployment;
import io.weft.node.agent.api.ArtifactSource;
import io.weft.node.apps.internal.AppRecords.AppRecord;
import io.weft.pki.AppSignatureVerifier;
import io.weft.pki.PkiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings the app bundles of the framework to the apps that the applied desired state names.
 * For each app it downloads the bundle into the app folder unless the file is there. It
 * verifies the signature, the signer chain, revocation and the digest before it gives the
 * bundle to the framework. Then it installs or updates it, resolves and starts it, and
 * health-checks it. A failure after an update puts the previous version back, and a failure of
 * a first install uninstalls the bundle.
 * A version that failed is not tried again until the desired state names another one, except
 * after a failed download, which the caller retries. Apps that the state no longer names are
 * uninstalled.
 *
 * <p>Not thread-safe: the deployer's single thread is the only caller.
 */
final class AppDeployer {

    private static final Logger LOG = LoggerFactory.getLogger(AppDeployer.class);

    /** Timeouts of one deployment. */
    record Timeouts(Duration download, Duration health) {
    }

    private final Path folder;
    private final BundleInstaller installer;
    private final AppHealth health;
    private final ArtifactSource artifacts;
    private final AppRecords records;
    private final AppReports reports;
    private final Timeouts timeouts;

    AppDeployer(Path folder, BundleInstaller installer, AppHealth health, ArtifactSource artifacts,
            Consumer<String> publisher, Timeouts timeouts, Clock clock) {
        this.folder = Objects.requireNonNull(folder, "folder");
        this.installer = Objects.requireNonNull(installer, "installer");
        this.health = Objects.requireNonNull(health, "health");
        this.artifacts = Objects.requireNonNull(artifacts, "artifacts");
        this.records = new AppRecords(folder);
        this.reports = new AppReports(publisher, clock);
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /** Reads the records of the apps installed before a restart and publishes their last reports. */
    void load() throws IOException {
        records.load();
        records.all().forEach((app, record) -> reports.restore(record.status()));
        reports.publish();
    }

    /** Returns the last reported status of every app, sorted by app name. */
    List<AppStatus> statuses() {
        return reports.all();
    }

    /**
     * Installs, updates and uninstalls apps until the framework runs the desired ones.
     *
     * @return true when a download failed, so the caller retries later because the node may have
     *     been offline. Every other failure waits for a new desired state.
     */
    boolean reconcile(List<AppDeployment> desired, AppSignatureVerifier verifier) throws InterruptedException {
        Set<String> desiredApps = new HashSet<>();
        boolean retry = false;
        for (AppDeployment deployment : desired) {
            desiredApps.add(deployment.app());
            retry |= reconcile(deployment, verifier);
        }
        for (String app : Set.copyOf(records.all().keySet())) {
            if (!desiredApps.contains(app)) {
                remove(app);
            }
        }
        reports.publish();
        return retry;
    }

    /** Returns true when the app's download failed. */
    private boolean reconcile(AppDeployment deployment, AppSignatureVerifier verifier) throws InterruptedException {
        AppRecord record = records.get(deployment.app());
        Optional<Bundle> bundle = installer.find(deployment.app());
        if (record != null && deployment.sha256().equals(record.failedSha256())) {
            return false;
        }
        if (record != null && deployment.sha256().equals(record.sha256()) && bundle.isPresent()) {
            ensureRunning(deployment, record, bundle.get());
            return false;
        }
        return deploy(deployment, record, bundle, verifier);
    }

    /** Checks an app that runs the desired version already, as after a restart. */
    private void ensureRunning(AppDeployment deployment, AppRecord record, Bundle bundle)
            throws InterruptedException {
        Optional<String> problem = health.problem(bundle);
        if (problem.isPresent()) {
            try {
                bundle.start();
            } catch (BundleException e) {
                LOG.warn("Apps: starting app {} {} failed: {}", deployment.app(), deployment.version(), e.getMessage());
            }
            problem = health.await(bundle, timeouts.health());
        }
        AppStatus status = problem.isPresent()
                ? reports.set(deployment, AppStatus.FAILED, "the installed version is unhealthy: " + problem.get(),
                        deployment.version())
                : reports.set(deployment, AppStatus.INSTALLED, null, deployment.version());
        save(deployment.app(), new AppRecord(record.sha256(), record.version(), record.failedSha256(), status));
    }

    /** Returns true when the download failed. */
    private boolean deploy(AppDeployment deployment, AppRecord record, Optional<Bundle> bundle,
            AppSignatureVerifier verifier) throws InterruptedException {
        String running = record == null ? null : record.version();
        Path file = folder.resolve(deployment.sha256() + ".jar");
        reports.set(deployment, AppStatus.PENDING, null, running);
        try {
            fetch(deployment, file, running);
        } catch (DeploymentException e) {
            LOG.warn("Apps: downloading app {} {} failed, retrying later: {}", deployment.app(),
                    deployment.version(), e.getMessage());
            reports.set(deployment, AppStatus.FAILED, e.getMessage() + "; retrying later", running);
            return true;
        }
        try {
            verify(deployment, file, verifier);
        } catch (DeploymentException e) {
            fail(deployment, record, AppStatus.FAILED, e.getMessage(), running);
            deleteQuietly(file);
            return false;
        }
        if (bundle.isPresent() && record != null) {
            update(deployment, record, bundle.get(), file);
        } else {
            install(deployment, bundle, file);
        }
        return false;
    }

    private void fetch(AppDeployment deployment, Path file, String running) throws DeploymentException,
            InterruptedException {
        if (Files.isRegularFile(file) && deployment.sha256().equals(AppSignatureVerifier.sha256(file))) {
            return;
        }
        reports.set(deployment, AppStatus.DOWNLOADING, null, running);
        reports.publish();
        try {
            artifacts.download(deployment.sha256(), deployment.size(), file)
                    .get(timeouts.download().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new DeploymentException("the download failed: " + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new DeploymentException("the download took longer than " + timeouts.download().toSeconds() + " s");
        }
    }

    private static void verify(AppDeployment deployment, Path file, AppSignatureVerifier verifier)
            throws DeploymentException {
        try {
            verifier.verify(file, deployment.signatureBytes(), deployment.sha256());
        } catch (PkiException e) {
            throw new DeploymentException("verification failed: " + e.getMessage());
        }
        requireIdentity(deployment, file);
    }

    /** Checks that the signed bundle is the app and version that the deployment names. */
    private static void requireIdentity(AppDeployment deployment, Path file) throws DeploymentException {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            String name = manifest == null ? null
                    : manifest.getMainAttributes().getValue(Constants.BUNDLE_SYMBOLICNAME);
            String version = manifest == null ? null : manifest.getMainAttributes().getValue(Constants.BUNDLE_VERSION);
            String symbolicName = name == null ? null : name.split(";", 2)[0].strip();
            boolean matches = deployment.app().equals(symbolicName) && version != null
                    && Version.parseVersion(version.strip()).equals(Version.parseVersion(deployment.version()));
            if (!matches) {
                throw new DeploymentException("the bundle is " + symbolicName + " " + version + ", but the deployment"
                        + " names " + deployment.app() + " " + deployment.version());
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new DeploymentException("reading the bundle's manifest failed: " + e.getMessage());
        }
    }

    private void install(AppDeployment deployment, Optional<Bundle> stale, Path file) throws InterruptedException {
        Bundle bundle = null;
        try {
            if (stale.isPresent()) {
                installer.uninstall(stale.get());
            }
            bundle = installer.install(deployment.app(), file);
            startHealthy(bundle);
        } catch (BundleException | IOException | DeploymentException | IllegalStateException e) {
            uninstallQuietly(bundle);
            fail(deployment, null, AppStatus.FAILED, reason(e), null);
            return;
        }
        succeed(deployment, bundle, "installed");
    }

    private void update(AppDeployment deployment, AppRecord record, Bundle bundle, Path file)
            throws InterruptedException {
        try {
            installer.update(bundle, file);
            startHealthy(bundle);
        } catch (BundleException | IOException | DeploymentException | IllegalStateException e) {
            rollBack(deployment, record, bundle, reason(e));
            return;
        }
        succeed(deployment, bundle, "updated from " + record.version() + " to");
        if (!record.sha256().equals(deployment.sha256())) {
            deleteQuietly(folder.resolve(record.sha256() + ".jar"));
        }
    }

    private void rollBack(AppDeployment deployment, AppRecord record, Bundle bundle, String reason)
            throws InterruptedException {
        Path previous = folder.resolve(record.sha256() + ".jar");
        try {
            installer.update(bundle, previous);
            startHealthy(bundle);
        } catch (BundleException | IOException | DeploymentException | IllegalStateException e) {
            LOG.error("Apps: rolling app {} back to {} failed, so it does not run: {}", deployment.app(),
                    record.version(), reason(e));
            fail(deployment, record, AppStatus.FAILED, reason + "; rolling back to " + record.version()
                    + " failed too: " + reason(e), null);
            return;
        }
        LOG.warn("Apps: app {} {} failed and was rolled back to {}: {}", deployment.app(), deployment.version(),
                record.version(), reason);
        fail(deployment, record, AppStatus.ROLLED_BACK, reason, record.version());
        deleteQuietly(folder.resolve(deployment.sha256() + ".jar"));
    }

    private void startHealthy(Bundle bundle) throws BundleException, DeploymentException, InterruptedException {
        installer.resolveAndStart(bundle);
        Optional<String> problem = health.await(bundle, timeouts.health());
        if (problem.isPresent()) {
            throw new DeploymentException("the health check failed: " + problem.get());
        }
    }

    private void succeed(AppDeployment deployment, Bundle bundle, String verb) {
        LOG.info("Apps: {} app {} {} (bundle {}, SHA-256 {})", verb, deployment.app(), deployment.version(),
                bundle.getBundleId(), deployment.sha256());
        AppStatus status = reports.set(deployment, AppStatus.INSTALLED, null, deployment.version());
        save(deployment.app(), new AppRecord(deployment.sha256(), deployment.version(), null, status));
    }

    private void fail(AppDeployment deployment, AppRecord record, String state, String reason, String running) {
        if (AppStatus.FAILED.equals(state)) {
            LOG.warn("Apps: app {} {} failed: {}", deployment.app(), deployment.version(), reason);
        }
        AppStatus status = reports.set(deployment, state, reason, running);
        AppRecord failed = running == null
                ? new AppRecord(null, null, deployment.sha256(), status)
                : new AppRecord(record.sha256(), record.version(), deployment.sha256(), status);
        save(deployment.app(), failed);
    }

    private void remove(String app) throws InterruptedException {
        AppRecord record = records.get(app);
        Optional<Bundle> bundle = installer.find(app);
        try {
            if (bundle.isPresent()) {
                installer.uninstall(bundle.get());
            }
            records.remove(app);
        } catch (BundleException | IOException | IllegalStateException e) {
            // toString, because some of these exceptions carry no message; the trace shows where it failed.
            LOG.error("Apps: uninstalling app {} failed; the next desired state tries again: {}", app, e.toString(), e);
            return;
        }
        if (record.sha256() != null) {
            deleteQuietly(folder.resolve(record.sha256() + ".jar"));
        }
        reports.remove(app);
        if (bundle.isPresent()) {
            LOG.info("Apps: uninstalled app {} {}, which the desired state no longer names", app, record.version());
        } else {
            LOG.info("Apps: forgot app {}, which was never installed and which the desired state no longer names",
                    app);
        }
    }

    private void save(String app, AppRecord record) {
        try {
            records.put(app, record);
        } catch (IOException e) {
            LOG.error("Apps: storing the record of app {} in {} failed, so a restart may repeat its deployment: {}",
                    app, folder, e.getMessage());
        }
    }

    private void uninstallQuietly(Bundle bundle) throws InterruptedException {
        if (bundle == null) {
            return;
        }
        try {
            installer.uninstall(bundle);
        } catch (BundleException | IllegalStateException e) {
            LOG.error("Apps: removing the failed bundle {} failed: {}", bundle.getSymbolicName(), e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.debug("Apps: deleting {} failed: {}", file, e.getMessage());
        }
    }

    private static String reason(Exception e) {
        if (e instanceof BundleException bundle && bundle.getType() == BundleException.ACTIVATOR_ERROR
                && e.getCause() != null) {
            return "its activator failed: " + e.getCause();
        }
        return e.getMessage();
    }

    /** A deployment step that failed, with the reason for the report. */
    static final class DeploymentException extends Exception {

        private static final long serialVersionUID = 1L;

        DeploymentException(String message) {
            super(message);
        }
    }
}
