package io.weft.node.apps.itest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.control.Status;
import io.weft.control.state.AppDeployment;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Version;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The app deployer with the real node agent under Felix SCR. A real control server names app
 * bundles in signed desired states and serves them over the control channel. The deployer
 * installs, updates, rolls back broken versions and uninstalls, and reports each step in the
 * node's status.
 */
class AppDeploymentTest {

    private static final String AGENT_PID = "io.weft.node.agent";
    private static final String APPS_PID = "io.weft.node.apps";
    private static final String APP = "org.example.itest.app";
    private static final ObjectMapper JSON = new ObjectMapper();

    @InjectService(timeout = 5000)
    ConfigurationAdmin configurationAdmin;

    @InjectBundleContext
    BundleContext context;

    private Path temp;
    private ControlServerFixture manager;
    private long revision;

    @BeforeEach
    void startManagerAndAgent() throws Exception {
        temp = Files.createTempDirectory("weft-apps-itest");
        manager = new ControlServerFixture(temp.resolve("ca"));
        manager.writeIdentity(temp.resolve("data"));
        configure(APPS_PID, Map.of("folder", temp.resolve("apps").toString(), "healthTimeoutSeconds", 3));
        configure(AGENT_PID, Map.of("dataDirectory", temp.resolve("data").toString()));
        manager.awaitNode();
        manager.await(Status.class);
    }

    @AfterEach
    void stop() throws IOException {
        manager.close();
        configurationAdmin.getConfiguration(AGENT_PID, "?").delete();
        configurationAdmin.getConfiguration(APPS_PID, "?").delete();
    }

    @Test
    void installUpdateRollbackAndUninstall() throws Exception {
        deploy(manager.publish("d1", APP, "1.0.0", AppBundles.healthy(APP, "1.0.0")));
        assertApp("installed", "1.0.0");
        assertRunning("1.0.0");

        deploy(manager.publish("d1", APP, "2.0.0", AppBundles.healthy(APP, "2.0.0")));
        assertApp("installed", "2.0.0");
        assertRunning("2.0.0");

        deploy(manager.publish("d1", APP, "2.1.0", AppBundles.throwingActivator(APP, "2.1.0")));
        assertThat(awaitReport(APP, "rolled-back", "2.1.0").path("error").asText()).contains("broken on purpose");
        assertRunning("2.0.0");

        deploy(manager.publish("d1", APP, "2.2.0", AppBundles.unsatisfiedComponent(APP, "2.2.0")));
        assertThat(awaitReport(APP, "rolled-back", "2.2.0").path("error").asText())
                .contains("org.example.Waiting is not satisfied");
        assertRunning("2.0.0");

        deploy(manager.publish("d1", APP, "2.3.0", AppBundles.unresolvable(APP, "2.3.0")));
        assertThat(awaitReport(APP, "rolled-back", "2.3.0").path("error").asText()).contains("org.example.missing");
        assertRunning("2.0.0");

        manager.push(++revision, List.of());
        awaitGone();
        assertThat(context.getBundle("weft-app:" + APP)).as("app bundle after undeploy").isNull();
    }

    @Test
    void tamperedBundleNeverReachesFramework() throws Exception {
        String app = APP + ".tampered";
        AppDeployment signed = manager.publish("d2", app, "1.0.0", AppBundles.healthy(app, "1.0.0"));
        AppDeployment other = manager.publish("d2", app, "1.0.0", AppBundles.unresolvable(app, "1.0.0"));
        AppDeployment tampered = new AppDeployment("d2", app, "1.0.0", other.sha256(), other.size(),
                signed.signature());

        deploy(tampered);

        JsonNode report = awaitReport(app, "failed", "1.0.0");
        assertThat(report.path("error").asText()).contains("verification failed")
                .contains("does not match the bundle bytes");
        assertThat(context.getBundle("weft-app:" + app)).as("bundle of a tampered app").isNull();
        manager.push(++revision, List.of());
    }

    @Test
    void platformSymbolicNameIsRejected() throws Exception {
        String app = "org.apache.felix.scr";
        long before = context.getBundles().length;

        deploy(manager.publish("d4", app, "99.0.0", AppBundles.healthy(app, "99.0.0")));

        JsonNode report = awaitReport(app, "failed", "99.0.0");
        assertThat(report.path("error").asText()).contains("'org.apache.felix.scr'")
                .contains("outside the apps").contains("symbolic name of its own");
        assertThat(context.getBundle("weft-app:" + app)).as("bundle of an app named like a platform bundle").isNull();
        assertThat(context.getBundles()).as("bundles in the framework").hasSize((int) before);
        manager.push(++revision, List.of());
    }

    @Test
    void revokedSignerIsRejectedAndNewSignerWorks() throws Exception {
        String app = APP + ".resigned";
        AppDeployment oldSignature = manager.publish("d3", app, "1.0.0", AppBundles.healthy(app, "1.0.0"));
        BigInteger revoked = manager.replaceAppSigner();

        manager.push(++revision, List.of(oldSignature), Set.of(revoked));

        JsonNode report = awaitReport(app, "failed", "1.0.0");
        assertThat(report.path("error").asText()).contains("verification failed").contains("revoked");
        assertThat(context.getBundle("weft-app:" + app)).as("bundle signed by the revoked certificate").isNull();

        AppDeployment newSignature = manager.publish("d3", app, "1.0.1", AppBundles.healthy(app, "1.0.1"));
        manager.push(++revision, List.of(newSignature), Set.of(revoked));

        awaitReport(app, "installed", "1.0.1");
        assertThat(context.getBundle("weft-app:" + app).getState()).isEqualTo(Bundle.ACTIVE);
        manager.push(++revision, List.of(), Set.of(revoked));
    }

    private void deploy(AppDeployment deployment) {
        manager.push(++revision, List.of(deployment));
    }

    private void assertApp(String state, String version) throws InterruptedException {
        JsonNode report = awaitReport(APP, state, version);
        assertThat(report.path("runningVersion").asText()).as("running version").isEqualTo(version);
    }

    private void assertRunning(String version) {
        Bundle bundle = context.getBundle("weft-app:" + APP);
        assertThat(bundle).as("bundle of %s", APP).isNotNull();
        assertThat(bundle.getVersion()).isEqualTo(Version.parseVersion(version));
        assertThat(bundle.getState()).as("state of %s %s", APP, version).isEqualTo(Bundle.ACTIVE);
    }

    /** Waits for a status whose report of the app has this state and version; fails after the fixture's wait. */
    private JsonNode awaitReport(String app, String state, String version) throws InterruptedException {
        while (true) {
            JsonNode report = deployments(manager.await(Status.class)).path(app);
            if (report.path("state").asText().equals(state) && report.path("version").asText().equals(version)) {
                return report;
            }
        }
    }

    private void awaitGone() throws InterruptedException {
        while (deployments(manager.await(Status.class)).has(APP)) {
            // Each status is one step of the deployer; the last one after the undeploy has no app.
        }
    }

    private static JsonNode deployments(Status status) {
        String json = status.extensions().get("deployments");
        try {
            return json == null ? JSON.createObjectNode() : JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("The deployments extension is not JSON: " + json, e);
        }
    }

    private void configure(String pid, Map<String, Object> properties) throws IOException {
        Dictionary<String, Object> values = new Hashtable<>(properties);
        configurationAdmin.getConfiguration(pid, "?").update(values);
    }
}
