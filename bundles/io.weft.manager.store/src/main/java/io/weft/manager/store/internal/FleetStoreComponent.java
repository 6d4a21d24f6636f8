package io.weft.manager.store.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.manager.access.ApiToken;
import io.weft.manager.access.Grant;
import io.weft.manager.audit.AuditAnchor;
import io.weft.manager.audit.AuditEntry;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.store.AccessStore;
import io.weft.manager.store.AuditQuery;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.ControlStore;
import io.weft.manager.store.NodeCertificate;
import io.weft.manager.store.NodeControl;
import io.weft.manager.store.StoredEnrollmentToken;
import io.weft.manager.store.Domain;
import io.weft.manager.store.DomainQuery;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.FlowQuery;
import io.weft.manager.store.FlowStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.NodeQuery;
import io.weft.manager.store.NodeSpec;
import io.weft.manager.store.NodeState;
import io.weft.manager.store.Operator;
import io.weft.manager.store.Page;
import io.weft.manager.store.PolicyStore;
import io.weft.manager.store.AppStore;
import io.weft.manager.store.StoredApp;
import io.weft.manager.store.StoredDeployment;
import io.weft.manager.store.ProfileDocument;
import io.weft.manager.store.ProfileOwner;
import io.weft.manager.store.StoreException;
import io.weft.manager.store.StoreTransactions;
import io.weft.manager.store.StoredApiToken;
import io.weft.manager.store.StoredFlow;
import io.weft.manager.store.StoredPolicy;
import io.weft.manager.store.internal.migration.Migration;

/**
 * The {@link FleetStore}, {@link AccessStore}, {@link AuditStore} and {@link StoreTransactions}
 * services: opens the
 * configured database, applies pending schema migrations, and serves the stores from one
 * connection pool. One component registers them all, so that a manager process never creates
 * more than one pool, nor boots an embedded Derby database twice.
 *
 * <p>Configured by PID {@value #PID}. The component is immediate, so the schema is migrated
 * when the bundle starts, not on first use, and the database stays open while no one uses
 * the service. A configuration change deactivates the component and activates it again,
 * which closes and reopens the database. When the database cannot be opened or migrated,
 * activation fails with the reason, and no service is registered.
 */
@Component(service = { FleetStore.class, AccessStore.class, AuditStore.class, ControlStore.class,
        StoreTransactions.class, PolicyStore.class, AppStore.class, FlowStore.class },
        immediate = true,
        configurationPid = FleetStoreComponent.PID)
@Designate(ocd = FleetStoreComponent.Config.class)
public class FleetStoreComponent implements FleetStore, AccessStore, AuditStore, ControlStore, StoreTransactions,
        PolicyStore, AppStore, FlowStore {

    static final String PID = "io.weft.manager.store";
    static final String KARAF_DATA = "karaf.data";

    private static final Logger LOG = LoggerFactory.getLogger(FleetStoreComponent.class);

    @ObjectClassDefinition(
            name = "Weft manager store",
            description = "Database of the manager: domains, nodes, profiles, operators, API tokens and the audit log.")
    public @interface Config {

        @AttributeDefinition(name = "JDBC URL",
                description = "Embedded Derby (jdbc:derby:<folder>;create=true) or PostgreSQL "
                        + "(jdbc:postgresql://<host>:<port>/<database>). Empty selects Derby in "
                        + "<karaf.data>/weft/manager-db, created on first start. The URL is visible in the "
                        + "service registry, so put the password into the password file, not into the URL.")
        String jdbcUrl() default "";

        @AttributeDefinition(name = "User", description = "Database user name; empty for none.")
        String user() default "";

        @AttributeDefinition(name = "Password file",
                description = "Path of a file, readable only by the service user, whose content is the "
                        + "database password; empty for no password.")
        String passwordFile() default "";

        @AttributeDefinition(name = "Maximum connections",
                description = "Maximum number of database connections open at once.")
        int maxConnections() default 8;

        @AttributeDefinition(name = "Connection timeout (seconds)",
                description = "Maximum time, in seconds, that a request waits for a free database connection.")
        int connectionTimeoutSeconds() default 30;
    }

    private final StoreDatabase database;
    private final JdbcFleetStore store;
    private final JdbcAccessStore accessStore;
    private final JdbcAuditStore auditStore;
    private final JdbcTransactions transactions;
    private final JdbcControlStore controlStore;
    private final JdbcAppStore appStore;

    @Activate
    public FleetStoreComponent(BundleContext context, Config config) {
        StoreSettings settings = settings(config, context.getProperty(KARAF_DATA));
        String password = settings.passwordFile().map(PasswordFile::read).orElse(null);

        Clock clock = Clock.systemUTC();
        this.database = StoreDatabase.open(settings, password, clock);
        this.store = new JdbcFleetStore(database.pool(), clock);
        this.accessStore = new JdbcAccessStore(database.pool(), clock);
        this.auditStore = new JdbcAuditStore(database.pool(), clock);
        this.transactions = new JdbcTransactions(database.pool());
        this.controlStore = new JdbcControlStore(database.pool());
        this.appStore = new JdbcAppStore(database.pool(), clock);

        LOG.info("Manager store: opened {} database, schema version {} (applied now: {}); {}", settings.dialect(),
                database.migration().schemaVersion(), describe(database.migration().applied()), settings);
    }

    @Deactivate
    void deactivate() {
        database.close();
        LOG.info("Manager store: closed the database");
    }

    /**
     * Validates the configuration; an empty JDBC URL becomes the Derby database under
     * {@code karaf.data}.
     *
     * @throws StoreException if the configuration is invalid
     */
    static StoreSettings settings(Config config, String karafData) {
        String jdbcUrl = config.jdbcUrl().strip();
        if (jdbcUrl.isEmpty()) {
            if (karafData == null) {
                throw new StoreException("Manager store: jdbcUrl is empty and the framework property " + KARAF_DATA
                        + " is not set, so there is no default database folder; set jdbcUrl in PID " + PID);
            }
            jdbcUrl = StoreSettings.defaultJdbcUrl(Path.of(karafData));
        }

        String passwordFile = config.passwordFile().strip();
        try {
            return new StoreSettings(jdbcUrl, config.user().strip(),
                    passwordFile.isEmpty() ? Optional.empty() : Optional.of(Path.of(passwordFile)),
                    config.maxConnections(), Duration.ofSeconds(config.connectionTimeoutSeconds()));
        } catch (IllegalArgumentException e) {
            throw new StoreException("Manager store: invalid configuration of PID " + PID + ": " + e.getMessage(), e);
        }
    }

    private static String describe(List<Migration> applied) {
        return applied.isEmpty() ? "none" : applied.stream().map(Migration::label).collect(Collectors.joining(", "));
    }

    @Override
    public <T> T inTransaction(Supplier<T> work) {
        return transactions.inTransaction(work);
    }

    @Override
    public Domain createDomain(String name, String description) {
        return store.createDomain(name, description);
    }

    @Override
    public Optional<Domain> findDomain(String name) {
        return store.findDomain(name);
    }

    @Override
    public Domain updateDomain(String name, long expectedVersion, String description) {
        return store.updateDomain(name, expectedVersion, description);
    }

    @Override
    public void deleteDomain(String name, long expectedVersion) {
        store.deleteDomain(name, expectedVersion);
    }

    @Override
    public Page<Domain> listDomains(DomainQuery query) {
        return store.listDomains(query);
    }

    @Override
    public Node createNode(NodeSpec spec) {
        return store.createNode(spec);
    }

    @Override
    public Optional<Node> findNode(String id) {
        return store.findNode(id);
    }

    @Override
    public Optional<Node> findNodeByName(String domain, String name) {
        return store.findNodeByName(domain, name);
    }

    @Override
    public Node updateNode(String id, long expectedVersion, NodeSpec spec) {
        return store.updateNode(id, expectedVersion, spec);
    }

    @Override
    public Node updateNodeState(String id, long expectedVersion, NodeState state) {
        return store.updateNodeState(id, expectedVersion, state);
    }

    @Override
    public void recordLastSeen(String id, Instant time) {
        store.recordLastSeen(id, time);
    }

    @Override
    public void deleteNode(String id, long expectedVersion) {
        store.deleteNode(id, expectedVersion);
    }

    @Override
    public Page<Node> listNodes(NodeQuery query) {
        return store.listNodes(query);
    }

    @Override
    public Optional<ProfileDocument> findProfile(ProfileOwner owner) {
        return store.findProfile(owner);
    }

    @Override
    public ProfileDocument createProfile(ProfileOwner owner, String json) {
        return store.createProfile(owner, json);
    }

    @Override
    public ProfileDocument updateProfile(ProfileOwner owner, long expectedVersion, String json) {
        return store.updateProfile(owner, expectedVersion, json);
    }

    @Override
    public void deleteProfile(ProfileOwner owner, long expectedVersion) {
        store.deleteProfile(owner, expectedVersion);
    }

    @Override
    public Operator createOperator(String name, String passwordHash, Set<Grant> grants) {
        return accessStore.createOperator(name, passwordHash, grants);
    }

    @Override
    public Optional<Operator> findOperator(String name) {
        return accessStore.findOperator(name);
    }

    @Override
    public List<Operator> listOperators() {
        return accessStore.listOperators();
    }

    @Override
    public Operator updatePassword(String name, long expectedVersion, String passwordHash) {
        return accessStore.updatePassword(name, expectedVersion, passwordHash);
    }

    @Override
    public Operator setDisabled(String name, long expectedVersion, boolean disabled) {
        return accessStore.setDisabled(name, expectedVersion, disabled);
    }

    @Override
    public Operator replaceGrants(String name, long expectedVersion, Set<Grant> grants) {
        return accessStore.replaceGrants(name, expectedVersion, grants);
    }

    @Override
    public void deleteOperator(String name, long expectedVersion) {
        accessStore.deleteOperator(name, expectedVersion);
    }

    @Override
    public StoredApiToken createToken(ApiToken token) {
        return accessStore.createToken(token);
    }

    @Override
    public Optional<StoredApiToken> findToken(String id) {
        return accessStore.findToken(id);
    }

    @Override
    public List<StoredApiToken> listTokens(String owner) {
        return accessStore.listTokens(owner);
    }

    @Override
    public StoredApiToken revokeToken(String id) {
        return accessStore.revokeToken(id);
    }

    @Override
    public void recordTokenUse(String id, Instant time) {
        accessStore.recordTokenUse(id, time);
    }

    @Override
    public AuditEntry append(AuditEvent event) {
        return auditStore.append(event);
    }

    @Override
    public AuditAnchor head() {
        return auditStore.head();
    }

    @Override
    public Page<AuditEntry> listEntries(AuditQuery query) {
        return auditStore.listEntries(query);
    }

    @Override
    public Iterable<AuditEntry> entries() {
        return auditStore.entries();
    }

    @Override
    public StoredEnrollmentToken createEnrollmentToken(String nodeId, String secretSha256, String createdBy,
            Instant createdAt, Instant expiresAt) {
        return controlStore.createEnrollmentToken(nodeId, secretSha256, createdBy, createdAt, expiresAt);
    }

    @Override
    public Optional<StoredEnrollmentToken> findEnrollmentTokenBySecret(String secretSha256) {
        return controlStore.findEnrollmentTokenBySecret(secretSha256);
    }

    @Override
    public List<StoredEnrollmentToken> listEnrollmentTokens(String nodeId) {
        return controlStore.listEnrollmentTokens(nodeId);
    }

    @Override
    public boolean useEnrollmentToken(String id, Instant time) {
        return controlStore.useEnrollmentToken(id, time);
    }

    @Override
    public int cancelEnrollmentTokens(String nodeId, Instant time) {
        return controlStore.cancelEnrollmentTokens(nodeId, time);
    }

    @Override
    public void recordCertificate(NodeCertificate certificate) {
        controlStore.recordCertificate(certificate);
    }

    @Override
    public Optional<NodeCertificate> findCertificate(String serial) {
        return controlStore.findCertificate(serial);
    }

    @Override
    public List<NodeCertificate> listCertificates(String nodeId) {
        return controlStore.listCertificates(nodeId);
    }

    @Override
    public List<NodeCertificate> revokeCertificates(String nodeId, Instant time, String reason) {
        return controlStore.revokeCertificates(nodeId, time, reason);
    }

    @Override
    public List<NodeCertificate> listRevokedCertificates(Instant now) {
        return controlStore.listRevokedCertificates(now);
    }

    @Override
    public long nextValue(String counter) {
        return controlStore.nextValue(counter);
    }

    @Override
    public Optional<NodeControl> findNodeControl(String nodeId) {
        return controlStore.findNodeControl(nodeId);
    }

    @Override
    public Map<String, NodeControl> listNodeControl() {
        return controlStore.listNodeControl();
    }

    @Override
    public NodeControl setDesiredState(String nodeId, long revision, String sha256, Instant time) {
        return controlStore.setDesiredState(nodeId, revision, sha256, time);
    }

    @Override
    public void recordApplied(String nodeId, long revision, Instant time, String weftVersion) {
        controlStore.recordApplied(nodeId, revision, time, weftVersion);
    }

    @Override
    public void recordRejection(String nodeId, String reason) {
        controlStore.recordRejection(nodeId, reason);
    }

    @Override
    public void recordLastSeen(Map<String, Instant> times) {
        controlStore.recordLastSeen(times);
    }

    @Override
    public Optional<StoredPolicy> findPolicy() {
        return policyStore().findPolicy();
    }

    @Override
    public long policyVersion() {
        return policyStore().policyVersion();
    }

    @Override
    public StoredPolicy replacePolicy(long expectedVersion, String json) {
        return policyStore().replacePolicy(expectedVersion, json);
    }

    @Override
    public int appendFlows(List<StoredFlow> flows) {
        return flowStore().appendFlows(flows);
    }

    @Override
    public Page<StoredFlow> listFlows(FlowQuery query) {
        return flowStore().listFlows(query);
    }

    @Override
    public int pruneFlows(Instant cutoff, long maxRecords) {
        return flowStore().pruneFlows(cutoff, maxRecords);
    }

    /** Returns the flow store on the shared pool, which keeps no state of its own either. */
    private FlowStore flowStore() {
        return new JdbcFlowStore(database.pool(), Clock.systemUTC());
    }

    /** Returns the policy store on the shared pool. It keeps no state of its own, so one per call costs nothing. */
    private PolicyStore policyStore() {
        return new JdbcPolicyStore(database.pool(), Clock.systemUTC());
    }

    @Override
    public StoredApp insertApp(StoredApp app) {
        return appStore.insertApp(app);
    }

    @Override
    public Optional<StoredApp> findApp(String name, String version) {
        return appStore.findApp(name, version);
    }

    @Override
    public List<StoredApp> listApps() {
        return appStore.listApps();
    }

    @Override
    public void updateSignature(String name, String version, String signature) {
        appStore.updateSignature(name, version, signature);
    }

    @Override
    public void deleteApp(String name, String version) {
        appStore.deleteApp(name, version);
    }

    @Override
    public StoredDeployment insertDeployment(StoredDeployment deployment) {
        return appStore.insertDeployment(deployment);
    }

    @Override
    public Optional<StoredDeployment> findDeployment(String id) {
        return appStore.findDeployment(id);
    }

    @Override
    public List<StoredDeployment> listDeployments() {
        return appStore.listDeployments();
    }

    @Override
    public StoredDeployment updateDeployment(long expectedVersion, StoredDeployment deployment) {
        return appStore.updateDeployment(expectedVersion, deployment);
    }

    @Override
    public void deleteDeployment(String id, long expectedVersion) {
        appStore.deleteDeployment(id, expectedVersion);
    }
}
