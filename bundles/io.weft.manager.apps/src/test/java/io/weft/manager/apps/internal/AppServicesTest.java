package io.weft.manager.apps.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.io.ByteArrayInputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.ForbiddenException;
import javax.ws.rs.NotFoundException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.weft.control.state.AppDeployment;
import io.weft.manager.access.Role;
import io.weft.manager.apps.internal.AppDtos.AppVersionDto;
import io.weft.manager.apps.internal.DeploymentDtos.DeploymentDto;
import io.weft.manager.apps.internal.DeploymentDtos.DeploymentRequest;
import io.weft.manager.apps.internal.DeploymentSpec.Canary;
import io.weft.manager.apps.internal.DeploymentSpec.FailureThreshold;
import io.weft.manager.apps.internal.DeploymentSpec.Target;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.store.AuditQuery;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeQuery;
import io.weft.manager.store.NodeRole;
import io.weft.manager.store.NodeSpec;
import io.weft.manager.store.StoredDeployment;

/** The app repository and the deployment service on the real store, with a real signing CA. */
class AppServicesTest {

    private static final String APP = "org.example.hello";
    private static final TestCaller ADMIN = TestCaller.fleetWide(Role.ADMIN);
    private static final TestCaller EAST = TestCaller.within("east-operator", Role.OPERATOR, "east.acme.example");
    private static final TestCaller WEST = TestCaller.within("west-operator", Role.OPERATOR, "west.acme.example");

    @TempDir
    Path folder;

    private DerbyStore database;
    private TestSigner signer;
    private AppRepository repository;
    private DeploymentService deployments;
    private final List<String> notified = new ArrayList<>();

    @BeforeEach
    void openStore() throws Exception {
        database = new DerbyStore(folder);
        signer = new TestSigner(folder.resolve("ca"));
        repository = new AppRepository(folder.resolve("apps"), config(), database.apps(), database.audit(),
                database.transactions(), signer.pki());
        deployments = new DeploymentService(database.apps(), database.fleet(), database.audit(),
                database.transactions(), repository);
        deployments.addListener(() -> notified.add("changed"));
        for (String domain : List.of("acme.example", "east.acme.example", "west.acme.example")) {
            database.fleet().createDomain(domain, "");
        }
        for (String name : List.of("e1", "e2", "e3")) {
            database.fleet().createNode(new NodeSpec(name, "east.acme.example", NodeRole.EDGE, Set.of(),
                    Optional.empty(), ""));
        }
        database.fleet().createNode(new NodeSpec("w1", "west.acme.example", NodeRole.EDGE, Set.of(), Optional.empty(),
                ""));
    }

    @AfterEach
    void closeStore() {
        database.close();
    }

    @Test
    void uploadStoresSignedBundle() throws Exception {
        byte[] bundle = TestBundles.bundle(APP, "1.0");

        AppVersionDto uploaded = upload(bundle);

        assertThat(uploaded.name()).isEqualTo(APP);
        assertThat(uploaded.version()).isEqualTo("1.0.0");
        assertThat(uploaded.sizeBytes()).isEqualTo(bundle.length);
        Path file = repository.artifact(uploaded.sha256()).orElseThrow();
        assertThat(Files.readAllBytes(file)).isEqualTo(bundle);
        assertThat(Files.readAllBytes(Path.of(file + AppRepository.SIGNATURE_SUFFIX)))
                .isEqualTo(Base64.getDecoder().decode(uploaded.signature()));
        assertThat(signer.verifier().verify(file, Base64.getDecoder().decode(uploaded.signature()),
                uploaded.sha256()).sha256()).isEqualTo(uploaded.sha256());
        assertThat(database.audit().listEntries(AuditQuery.all()).items()).anyMatch(entry ->
                entry.action().equals("app.upload") && entry.target().equals(APP + " 1.0.0"));
    }

    @Test
    void sameVersionTwiceIsConflict() {
        upload(TestBundles.bundle(APP, "1.0.0"));

        assertThatThrownBy(() -> upload(TestBundles.bundle(APP, "1.0.0")))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409))
                .hasMessageContaining("Versions are immutable");
    }

    @Test
    void oversizedUploadIsRejected() throws Exception {
        AppRepository small = new AppRepository(folder.resolve("small"), config(100), database.apps(),
                database.audit(), database.transactions(), signer.pki());

        assertThatThrownBy(() -> small.upload(ADMIN, new ByteArrayInputStream(TestBundles.bundle(APP, "1.0.0"))))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(413));
    }

    @Test
    void uploadNeedsFleetWrite() {
        assertThatThrownBy(() -> repository.upload(EAST, new ByteArrayInputStream(TestBundles.bundle(APP, "1.0.0"))))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void deployedVersionCannotBeDeleted() {
        upload(TestBundles.bundle(APP, "1.0.0"));
        deployments.create(ADMIN, request("d1", "1.0.0", null, null));

        assertThatThrownBy(() -> repository.delete(ADMIN, APP, "1.0.0"))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409));
    }

    @Test
    void unusedVersionIsDeletedWithItsFiles() {
        AppVersionDto uploaded = upload(TestBundles.bundle(APP, "1.0.0"));

        repository.delete(ADMIN, APP, "1.0.0");

        assertThat(repository.artifact(uploaded.sha256())).isEmpty();
        assertThatThrownBy(() -> repository.version(ADMIN, APP, "1.0.0")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void deploymentReachesEveryTargetNodeWithoutCanary() {
        AppVersionDto uploaded = upload(TestBundles.bundle(APP, "1.0.0"));

        deployments.create(EAST, request("d1", "1.0.0", null, null));

        assertThat(notified).hasSize(1);
        assertThat(appsOf("e1")).containsExactly(new AppDeployment("d1", APP, "1.0.0", uploaded.sha256(),
                uploaded.sizeBytes(), uploaded.signature()));
        assertThat(appsOf("e3")).hasSize(1);
        assertThat(appsOf("w1")).isEmpty();
    }

    @Test
    void canaryGoesFirstThenTheRest() {
        upload(TestBundles.bundle(APP, "1.0.0"));
        deployments.create(ADMIN, request("d1", "1.0.0", new Canary(List.of(), 1), null));

        assertThat(appsOf("e1")).extracting(AppDeployment::version).containsExactly("1.0.0");
        assertThat(appsOf("e2")).isEmpty();

        deployments.nodeReported(nodeId("e1"), report("1.0.0", "installed", null));

        assertThat(notified).hasSize(2);
        assertThat(appsOf("e2")).extracting(AppDeployment::version).containsExactly("1.0.0");
        assertThat(deployments.get(ADMIN, "d1").nodes()).extracting(node -> node.state())
                .containsExactly("installed", "pending", "pending");
    }

    @Test
    void reportsAfterTheCanaryStageListNoNodes() {
        AtomicInteger listings = new AtomicInteger();
        DeploymentService counted = new DeploymentService(database.apps(), countingListings(database.fleet(), listings),
                database.audit(), database.transactions(), repository);
        upload(TestBundles.bundle(APP, "1.0.0"));
        counted.create(ADMIN, request("d1", "1.0.0", new Canary(List.of(), 1), null));
        counted.nodeReported(nodeId("e1"), report("1.0.0", "installed", null));
        int afterCanary = listings.get();

        counted.nodeReported(nodeId("e2"), report("1.0.0", "installed", null));
        counted.nodeReported(nodeId("e3"), report("1.0.0", "installed", null));
        counted.nodeReported(nodeId("e1"), report("1.0.0", "installed", null));
        int afterInstalled = listings.get();
        counted.nodeReported(nodeId("e2"), report("1.0.0", "failed", "health check timed out"));

        assertThat(afterInstalled).as("node listings for installed reports after the canary stage")
                .isEqualTo(afterCanary);
        assertThat(listings.get()).as("node listings after a failure report").isGreaterThan(afterInstalled);
    }

    @Test
    void failureThresholdHaltsRolloutOnPreviousVersion() {
        upload(TestBundles.bundle(APP, "1.0.0"));
        upload(TestBundles.bundle(APP, "1.1.0"));
        DeploymentDto created = deployments.create(ADMIN, request("d1", "1.0.0", new Canary(List.of(), 1),
                new FailureThreshold(0, null)));
        deployments.update(ADMIN, "d1", "\"" + created.revision() + "\"", request(null, "1.1.0",
                new Canary(List.of("e2.east.acme.example"), null), new FailureThreshold(0, null)));

        assertThat(appsOf("e2")).extracting(AppDeployment::version).containsExactly("1.1.0");
        assertThat(appsOf("e1")).extracting(AppDeployment::version).containsExactly("1.0.0");

        deployments.nodeReported(nodeId("e2"), report("1.1.0", "rolled-back", "activator failed"));

        DeploymentDto halted = deployments.get(ADMIN, "d1");
        assertThat(halted.state()).isEqualTo(StoredDeployment.HALTED);
        assertThat(halted.stateReason()).contains("1 of 3 target nodes failed version 1.1.0")
                .contains("e2.east.acme.example: activator failed");
        assertThat(appsOf("e2")).extracting(AppDeployment::version).containsExactly("1.0.0");
        assertThat(appsOf("e3")).extracting(AppDeployment::version).containsExactly("1.0.0");
    }

    @Test
    void deploymentOutOfScopeIsHidden() {
        upload(TestBundles.bundle(APP, "1.0.0"));
        deployments.create(EAST, request("d1", "1.0.0", null, null));

        assertThatThrownBy(() -> deployments.get(WEST, "d1")).isInstanceOf(NotFoundException.class);
        assertThat(deployments.list(WEST)).isEmpty();
        assertThatThrownBy(() -> deployments.create(WEST, request("d2", "1.0.0", null, null)))
                .isInstanceOf(ForbiddenException.class);
    }

    @Test
    void deploymentOfMissingVersionIsRejected() {
        assertThatThrownBy(() -> deployments.create(ADMIN, request("d1", "9.0.0", null, null)))
                .isInstanceOfSatisfying(InvalidFieldException.class, e -> assertThat(e.field()).isEqualTo("version"));
    }

    @Test
    void sameDeploymentIdTwiceIsConflict() {
        upload(TestBundles.bundle(APP, "1.0.0"));
        deployments.create(ADMIN, request("d1", "1.0.0", null, null));

        assertThatThrownBy(() -> deployments.create(ADMIN, request("d1", "1.0.0", null, null)))
                .isInstanceOfSatisfying(ClientErrorException.class,
                        e -> assertThat(e.getResponse().getStatus()).isEqualTo(409))
                .hasMessageContaining("deployment 'd1' exists already");
    }

    @Test
    void deleteRemovesAppFromNodes() {
        upload(TestBundles.bundle(APP, "1.0.0"));
        DeploymentDto created = deployments.create(ADMIN, request("d1", "1.0.0", null, null));

        deployments.delete(ADMIN, "d1", "\"" + created.revision() + "\"");

        assertThat(appsOf("e1")).isEmpty();
        assertThat(notified).hasSize(2);
    }

    @Test
    void revokedSignerIsReplacedAndVersionsSignedAgain() throws Exception {
        AppVersionDto uploaded = upload(TestBundles.bundle(APP, "1.0.0"));
        deployments.create(EAST, request("d1", "1.0.0", null, null));
        AppSigning signing = new AppSigning(signer.pki(), repository, deployments, database.audit());
        String oldSerial = signing.current(ADMIN).serial();
        int notifiedBefore = notified.size();

        SigningDtos.SigningRevocationDto revocation = signing.revoke(ADMIN, null);

        assertThat(revocation.revokedSerial()).isEqualTo(oldSerial);
        assertThat(revocation.certificate().serial()).isNotEqualTo(oldSerial).isEqualTo(signing.current(ADMIN).serial());
        assertThat(revocation.signedAgain()).isEqualTo(1);
        assertThat(revocation.failed()).isEmpty();
        AppVersionDto resigned = repository.version(ADMIN, APP, "1.0.0");
        assertThat(resigned.sha256()).isEqualTo(uploaded.sha256());
        assertThat(resigned.signature()).isNotEqualTo(uploaded.signature());
        assertThat(appsOf("e1").get(0).signature()).as("signature in the desired state").isEqualTo(resigned.signature());
        Path file = repository.artifact(uploaded.sha256()).orElseThrow();
        assertThat(Files.readAllBytes(Path.of(file + AppRepository.SIGNATURE_SUFFIX)))
                .isEqualTo(Base64.getDecoder().decode(resigned.signature()));
        assertThat(signer.verifierWithRevocations().verify(file, Base64.getDecoder().decode(resigned.signature()),
                uploaded.sha256()).sha256()).isEqualTo(uploaded.sha256());
        assertThatThrownBy(() -> signer.verifierWithRevocations().verify(file,
                Base64.getDecoder().decode(uploaded.signature()), uploaded.sha256()))
                .as("the old signature on a node that knows the revoked serial").hasMessageContaining("revoked");
        assertThat(notified).hasSize(notifiedBefore + 1);
        assertThat(database.audit().listEntries(AuditQuery.all()).items()).anyMatch(entry ->
                entry.action().equals("app-signing.revoke") && entry.before().contains(oldSerial)
                        && entry.before().contains("key_compromise"));
    }

    @Test
    void signerRevocationNeedsAccessManagement() {
        AppSigning signing = new AppSigning(signer.pki(), repository, deployments, database.audit());

        assertThatThrownBy(() -> signing.revoke(EAST, "key_compromise")).isInstanceOf(ForbiddenException.class);
        assertThatThrownBy(() -> signing.revoke(ADMIN, "lost")).isInstanceOf(InvalidFieldException.class)
                .hasMessageContaining("'lost'").hasMessageContaining("key_compromise");
    }

    @Test
    void locationsNameOtherNodesOfEdgeApp() {
        upload(TestBundles.edgeApp(APP, "1.0.0", "hello"));

        deployments.create(EAST, request("d1", "1.0.0", null, null));

        assertThat(locationsOf("w1")).isEqualTo(Map.of("hello", List.of("e1.east.acme.example",
                "e2.east.acme.example", "e3.east.acme.example")));
        assertThat(locationsOf("e2")).isEqualTo(Map.of("hello", List.of("e1.east.acme.example",
                "e3.east.acme.example")));
    }

    @Test
    void bundleWithoutOperationsHasNoLocations() {
        upload(TestBundles.bundle(APP, "1.0.0"));

        deployments.create(EAST, request("d1", "1.0.0", null, null));

        assertThat(locationsOf("w1")).isEmpty();
    }

    private Map<String, List<String>> locationsOf(String name) {
        List<Node> nodes = database.fleet().listNodes(NodeQuery.all()).items();
        Node node = nodes.stream().filter(candidate -> candidate.name().equals(name)).findFirst().orElseThrow();
        return deployments.start(List.of(node)).locationsFor(node);
    }

    private AppVersionDto upload(byte[] bundle) {
        return repository.upload(ADMIN, new ByteArrayInputStream(bundle));
    }

    private static DeploymentRequest request(String id, String version, Canary canary, FailureThreshold threshold) {
        return new DeploymentRequest(id, APP, version, new Target("east.acme.example", null, null), canary,
                threshold);
    }

    private static String report(String version, String state, String error) {
        return "{\"" + APP + "\":{\"deploymentId\":\"d1\",\"version\":\"" + version + "\",\"state\":\"" + state
                + "\",\"error\":" + (error == null ? "null" : "\"" + error + "\"") + "}}";
    }

    private List<AppDeployment> appsOf(String name) {
        List<Node> nodes = database.fleet().listNodes(NodeQuery.all()).items();
        Node node = nodes.stream().filter(candidate -> candidate.name().equals(name)).findFirst().orElseThrow();
        return deployments.start(nodes).deploymentsFor(node);
    }

    private String nodeId(String name) {
        return database.fleet().findNodeByName(name.startsWith("w") ? "west.acme.example" : "east.acme.example", name)
                .orElseThrow().id();
    }

    private static AppRepository.Config config() {
        return config(1_000_000);
    }

    private static AppRepository.Config config(long maxBundleBytes) {
        AppRepository.Config config = mock(AppRepository.Config.class);
        when(config.maxBundleBytes()).thenReturn(maxBundleBytes);
        when(config.maxUncompressedBytes()).thenReturn(10_000_000L);
        when(config.maxBundleEntries()).thenReturn(100);
        when(config.folder()).thenReturn("");
        return config;
    }

    /** Returns the store, counting each call of {@code listNodes}. */
    private static FleetStore countingListings(FleetStore fleet, AtomicInteger listings) {
        return (FleetStore) Proxy.newProxyInstance(FleetStore.class.getClassLoader(), new Class<?>[] { FleetStore.class },
                (proxy, method, args) -> {
                    if (method.getName().equals("listNodes")) {
                        listings.incrementAndGet();
                    }
                    try {
                        return method.invoke(fleet, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
