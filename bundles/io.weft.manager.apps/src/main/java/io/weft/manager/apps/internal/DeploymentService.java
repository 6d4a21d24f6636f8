package io.weft.manager.apps.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import javax.ws.rs.ClientErrorException;
import javax.ws.rs.NotFoundException;
import javax.ws.rs.core.Response;

import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.control.state.AppDeployment;
import io.weft.manager.access.AccessTarget;
import io.weft.manager.access.Action;
import io.weft.manager.access.ApiCaller;
import io.weft.manager.apps.api.AppDeployments;
import io.weft.manager.apps.api.DeploymentListener;
import io.weft.manager.apps.internal.DeploymentDtos.DeploymentDto;
import io.weft.manager.apps.internal.DeploymentDtos.DeploymentNodeDto;
import io.weft.manager.apps.internal.DeploymentDtos.DeploymentRequest;
import io.weft.manager.audit.AuditEvent;
import io.weft.manager.rest.api.ETags;
import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.rest.api.StaleVersionException;
import io.weft.manager.store.AppStore;
import io.weft.manager.store.AuditStore;
import io.weft.manager.store.ConflictException;
import io.weft.manager.store.FleetStore;
import io.weft.manager.store.Node;
import io.weft.manager.store.StoreTransactions;
import io.weft.manager.store.StoredApp;
import io.weft.manager.store.StoredDeployment;

/**
 * Deployments of apps to target selectors, as the REST API changes them and as the desired
 * state compiler reads them, with the staged rollout that node reports drive.
 *
 * <p>Every change is validated, checked against the caller's scope, stored and audited in one
 * transaction, and then reported to the {@link DeploymentListener}s, which recompile the
 * nodes' desired states. A node report that completes a canary stage or passes a failure
 * threshold does the same, with the audit actor {@value #SYSTEM_ACTOR}.
 *
 * <p>Scope: a deployment whose target names a domain is read and changed by callers with READ
 * or WRITE on that domain; one without a domain needs the same over the whole fleet.
 */
@Component(service = { DeploymentService.class, AppDeployments.class })
public class DeploymentService implements AppDeployments {

    static final String SYSTEM_ACTOR = "system";
    static final String PENDING = "pending";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Logger LOG = LoggerFactory.getLogger(DeploymentService.class);

    private final AppStore store;
    private final AuditStore audit;
    private final StoreTransactions transactions;
    private final AppRepository repository;
    private final TargetNodes targetNodes;
    private final NodeReports reports = new NodeReports();
    private final EdgeAppNames appNames = new EdgeAppNames();
    private final Map<String, Boolean> canaryComplete = new ConcurrentHashMap<>();
    private final List<DeploymentListener> listeners = new CopyOnWriteArrayList<>();
    private final Clock clock = Clock.systemUTC();
    private BundleContext context;

    @Activate
    public DeploymentService(BundleContext context, @Reference AppStore store, @Reference FleetStore fleet,
            @Reference AuditStore audit, @Reference StoreTransactions transactions,
            @Reference AppRepository repository) {
        this(store, fleet, audit, transactions, repository);
        this.context = context;
    }

    DeploymentService(AppStore store, FleetStore fleet, AuditStore audit, StoreTransactions transactions,
            AppRepository repository) {
        this.store = Objects.requireNonNull(store, "store");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.transactions = Objects.requireNonNull(transactions, "transactions");
        this.repository = Objects.requireNonNull(repository, "repository");
        this.targetNodes = new TargetNodes(Objects.requireNonNull(fleet, "fleet"));
    }

    /** Adds a listener outside the service registry; for tests. */
    void addListener(DeploymentListener listener) {
        listeners.add(listener);
    }

    /** Creates a deployment and rolls it out. */
    public DeploymentDto create(ApiCaller caller, DeploymentRequest request) {
        requireBody(request);
        DeploymentSpec spec = DeploymentSpec.of(request.target(), request.canary(), request.failureThreshold());
        checkScope(caller, Action.WRITE, spec);
        String id = request.id() == null ? UUID.randomUUID().toString() : requireId(request.id());
        requireAppVersion(request.app(), request.version());

        StoredDeployment created = insert(caller, id, request, spec);
        LOG.info("Deployments: {} created deployment {} of app {} {}", caller.getName(), id, request.app(),
                request.version());
        notifyListeners();
        return dto(created);
    }

    private StoredDeployment insert(ApiCaller caller, String id, DeploymentRequest request, DeploymentSpec spec) {
        Instant now = clock.instant();
        try {
            return transactions.inTransaction(() -> {
                StoredDeployment stored = store.insertDeployment(new StoredDeployment(id, request.app(),
                        request.version(), Optional.empty(), SpecJson.write(spec), StoredDeployment.ACTIVE,
                        Optional.empty(), 0, now, now));
                record(caller.getName(), caller.remoteAddress(), "deployment.create", stored.id(), null, stored);
                return stored;
            });
        } catch (ConflictException e) {
            throw new ClientErrorException("deployment '" + id + "' exists already: change it with PUT"
                    + " /api/v1/deployments/" + id + ", or choose another id", Response.Status.CONFLICT, e);
        }
    }

    public List<DeploymentDto> list(ApiCaller caller) {
        ApiCallers.checkReadsAnything(caller);
        List<DeploymentDto> visible = new ArrayList<>();
        for (StoredDeployment deployment : store.listDeployments()) {
            if (permits(caller, Action.READ, SpecJson.read(deployment.specJson()))) {
                visible.add(dto(deployment));
            }
        }
        return visible;
    }

    /** Returns a deployment with the state of each target node, or 404 when it is missing or out of scope. */
    public DeploymentDto get(ApiCaller caller, String id) {
        return dto(readable(caller, id));
    }

    /**
     * Replaces a deployment's version, target and rollout settings. A new version becomes the
     * rollout's version and the old one its previous version, and a halted rollout starts again.
     *
     * @param ifMatch the ETag of the version that the request replaces, or {@code *}
     */
    public DeploymentDto update(ApiCaller caller, String id, String ifMatch, DeploymentRequest request) {
        ETags.check(ifMatch);
        requireBody(request);
        StoredDeployment current = readable(caller, id);
        checkScope(caller, Action.WRITE, SpecJson.read(current.specJson()));
        DeploymentSpec spec = DeploymentSpec.of(request.target(), request.canary(), request.failureThreshold());
        checkScope(caller, Action.WRITE, spec);
        if (!current.appName().equals(request.app())) {
            throw new InvalidFieldException("app", "a deployment keeps its app '" + current.appName()
                    + "'; create another deployment for app '" + request.app() + "'");
        }
        requireAppVersion(request.app(), request.version());

        long expected = ETags.requiredVersion(ifMatch, current.version());
        StoredDeployment updated = transactions.inTransaction(() -> {
            StoredDeployment stored = storeUpdate(expected, replaced(current, request.version(), spec));
            record(caller.getName(), caller.remoteAddress(), "deployment.update", id, current, stored);
            return stored;
        });
        LOG.info("Deployments: {} updated deployment {} to app {} {}", caller.getName(), id, updated.appName(),
                updated.appVersion());
        canaryComplete.remove(id);
        notifyListeners();
        return dto(updated);
    }

    /** Deletes a deployment, which uninstalls its app from the nodes that no other deployment gives it. */
    public void delete(ApiCaller caller, String id, String ifMatch) {
        ETags.check(ifMatch);
        StoredDeployment current = readable(caller, id);
        checkScope(caller, Action.WRITE, SpecJson.read(current.specJson()));
        long expected = ETags.requiredVersion(ifMatch, current.version());
        transactions.inTransaction(() -> {
            try {
                store.deleteDeployment(id, expected);
            } catch (io.weft.manager.store.StaleVersionException e) {
                throw new StaleVersionException(e.expectedVersion(), e.actualVersion());
            }
            record(caller.getName(), caller.remoteAddress(), "deployment.delete", id, current, null);
            return null;
        });
        LOG.info("Deployments: {} deleted deployment {} of app {}", caller.getName(), id, current.appName());
        canaryComplete.remove(id);
        notifyListeners();
    }

    @Override
    public Run start(List<Node> nodes) {
        Map<String, Map<String, AppDeployment>> byNode = new HashMap<>();
        Map<String, Optional<StoredApp>> apps = new HashMap<>();
        AppLocations locations = new AppLocations();
        for (StoredDeployment deployment : store.listDeployments()) {
            for (Rollout.NodePlan plan : rollout(deployment).plans()) {
                Optional<StoredApp> desired = plan.desiredVersion()
                        .flatMap(version -> storedApp(apps, deployment.appName(), version));
                desired.map(app -> new AppDeployment(deployment.id(), app.name(), app.version(), app.sha256(),
                                app.sizeBytes(), app.signature()))
                        .ifPresent(app -> byNode.computeIfAbsent(plan.node().id(), id -> new TreeMap<>())
                                .put(app.app(), app));
                runningApp(plan, desired, apps, deployment.appName())
                        .ifPresent(app -> locations.add(edgeAppNames(app), plan.node()));
            }
        }
        return new Run() {
            @Override
            public List<AppDeployment> deploymentsFor(Node node) {
                return List.copyOf(byNode.getOrDefault(node.id(), Map.of()).values());
            }

            @Override
            public Map<String, List<String>> locationsFor(Node node) {
                return locations.nearest(node);
            }

            @Override
            public Map<String, Set<String>> hostsByApp() {
                return locations.hostNames();
            }
        };
    }

    private Optional<StoredApp> storedApp(Map<String, Optional<StoredApp>> cache, String name, String version) {
        return cache.computeIfAbsent(name + " " + version, key -> store.findApp(name, version));
    }

    /**
     * Returns the version that a node runs or is about to run: the desired one, else the one it
     * reported installed, such as a halted rollout's version.
     */
    private Optional<StoredApp> runningApp(Rollout.NodePlan plan, Optional<StoredApp> desired,
            Map<String, Optional<StoredApp>> cache, String name) {
        if (desired.isPresent()) {
            return desired;
        }
        return plan.report().filter(report -> NodeReports.AppReport.INSTALLED.equals(report.state()))
                .flatMap(report -> storedApp(cache, name, report.version()));
    }

    private Set<String> edgeAppNames(StoredApp app) {
        return repository.artifact(app.sha256()).map(path -> appNames.of(app.sha256(), path))
                .orElse(Set.of());
    }

    @Override
    public Optional<Path> artifact(String sha256) {
        return repository.artifact(sha256);
    }

    @Override
    public void nodeReported(String nodeId, String reportJson) {
        try {
            reports.update(nodeId, reportJson);
        } catch (IllegalArgumentException e) {
            LOG.warn("Deployments: ignored the app report of node {}: {}", nodeId, e.getMessage());
            return;
        }
        boolean changed = false;
        for (StoredDeployment deployment : store.listDeployments()) {
            Optional<NodeReports.AppReport> report = reports.of(nodeId, deployment.appName());
            if (report.isPresent() && mayAdvance(deployment, report.get())) {
                changed |= advance(deployment);
            }
        }
        if (changed) {
            notifyListeners();
        }
    }

    /**
     * Tells whether a report can move the deployment's rollout on. Checking lists every target
     * node, and every node reports at least once per version, so checking on each report would
     * cost the square of the fleet size per rollout. A failure may pass the threshold, and an
     * installed app may complete the canary stage; once that stage is complete, only failures count.
     */
    private boolean mayAdvance(StoredDeployment deployment, NodeReports.AppReport report) {
        if (!StoredDeployment.ACTIVE.equals(deployment.state())) {
            return false;
        }
        if (NodeReports.AppReport.FAILED.equals(report.state())
                || NodeReports.AppReport.ROLLED_BACK.equals(report.state())) {
            return true;
        }
        return !Boolean.TRUE.equals(canaryComplete.get(deployment.id()));
    }

    /** Halts a rollout past its failure threshold, and notes a completed canary stage; returns whether nodes must be recompiled. */
    private boolean advance(StoredDeployment deployment) {
        if (!StoredDeployment.ACTIVE.equals(deployment.state())) {
            return false;
        }
        Rollout rollout = rollout(deployment);
        Optional<String> halt = rollout.haltReason();
        if (halt.isPresent()) {
            return halt(deployment, halt.get());
        }
        boolean complete = rollout.canaryComplete();
        Boolean before = canaryComplete.put(deployment.id(), complete);
        if (complete && !Boolean.TRUE.equals(before)) {
            LOG.info("Deployments: every canary node of deployment {} installed app {} {}; rolling out to the rest",
                    deployment.id(), deployment.appName(), deployment.appVersion());
            return true;
        }
        return false;
    }

    private boolean halt(StoredDeployment deployment, String reason) {
        StoredDeployment halted = new StoredDeployment(deployment.id(), deployment.appName(), deployment.appVersion(),
                deployment.previousVersion(), deployment.specJson(), StoredDeployment.HALTED, Optional.of(reason),
                deployment.version(), deployment.createdAt(), deployment.updatedAt());
        try {
            transactions.inTransaction(() -> {
                StoredDeployment stored = store.updateDeployment(deployment.version(), halted);
                record(SYSTEM_ACTOR, null, "deployment.halt", deployment.id(), deployment, stored);
                return stored;
            });
        } catch (io.weft.manager.store.StaleVersionException | io.weft.manager.store.NotFoundException e) {
            LOG.info("Deployments: deployment {} changed while halting it, so the next report decides: {}",
                    deployment.id(), e.getMessage());
            return false;
        }
        LOG.warn("Deployments: halted deployment {} of app {} {}: {}", deployment.id(), deployment.appName(),
                deployment.appVersion(), reason);
        return true;
    }

    private Rollout rollout(StoredDeployment deployment) {
        DeploymentSpec spec = SpecJson.read(deployment.specJson());
        return new Rollout(deployment, spec, targetNodes.of(spec.target()), reports);
    }

    private DeploymentDto dto(StoredDeployment deployment) {
        DeploymentSpec spec = SpecJson.read(deployment.specJson());
        List<DeploymentNodeDto> nodes = new ArrayList<>();
        for (Rollout.NodePlan plan : rollout(deployment).plans()) {
            nodes.add(new DeploymentNodeDto(plan.node().id(), plan.node().fullName(), plan.stage(),
                    plan.desiredVersion().orElse(null), plan.report().map(NodeReports.AppReport::state).orElse(PENDING),
                    plan.report().map(NodeReports.AppReport::version).orElse(null),
                    plan.report().map(NodeReports.AppReport::error).orElse(null)));
        }
        return new DeploymentDto(deployment.id(), deployment.appName(), deployment.appVersion(),
                deployment.previousVersion().orElse(null), spec.target(), spec.canary(), spec.failureThreshold(),
                deployment.state(), deployment.stateReason().orElse(null), deployment.version(),
                deployment.createdAt().toString(), deployment.updatedAt().toString(), nodes);
    }

    private StoredDeployment readable(ApiCaller caller, String id) {
        StoredDeployment deployment = store.findDeployment(id).orElseThrow(() -> notFound(id));
        if (!permits(caller, Action.READ, SpecJson.read(deployment.specJson()))) {
            throw notFound(id);
        }
        return deployment;
    }

    private StoredDeployment storeUpdate(long expected, StoredDeployment deployment) {
        try {
            return store.updateDeployment(expected, deployment);
        } catch (io.weft.manager.store.StaleVersionException e) {
            throw new StaleVersionException(e.expectedVersion(), e.actualVersion());
        }
    }

    private static StoredDeployment replaced(StoredDeployment current, String version, DeploymentSpec spec) {
        Optional<String> previous = current.appVersion().equals(version) ? current.previousVersion()
                : Optional.of(current.appVersion());
        return new StoredDeployment(current.id(), current.appName(), version, previous, SpecJson.write(spec),
                StoredDeployment.ACTIVE, Optional.empty(), current.version(), current.createdAt(), current.updatedAt());
    }

    private void requireAppVersion(String app, String version) {
        if (app == null || app.isBlank()) {
            throw new InvalidFieldException("app", "app is missing: set the app's symbolic name");
        }
        if (version == null || version.isBlank()) {
            throw new InvalidFieldException("version", "version is missing: set one of GET /api/v1/apps/" + app);
        }
        if (store.findApp(app, version).isEmpty()) {
            throw new InvalidFieldException("version", "app '" + app + "' version " + version + " is not in the"
                    + " repository; upload it first or pick one of GET /api/v1/apps/" + app);
        }
    }

    private static String requireId(String id) {
        if (!ID.matcher(id).matches()) {
            throw new InvalidFieldException("id", "id '" + id + "' is invalid: use 1 to 64 letters, digits, dots,"
                    + " hyphens and underscores, starting with a letter or digit");
        }
        return id;
    }

    private static void requireBody(DeploymentRequest request) {
        if (request == null) {
            throw new InvalidFieldException("body", "the request body is missing: send a deployment as JSON");
        }
    }

    private static void checkScope(ApiCaller caller, Action action, DeploymentSpec spec) {
        ApiCallers.check(caller, action, target(spec));
    }

    private static boolean permits(ApiCaller caller, Action action, DeploymentSpec spec) {
        return ApiCallers.permits(caller, action, target(spec));
    }

    private static AccessTarget target(DeploymentSpec spec) {
        return spec.target().domainName().map(AccessTarget::domain).orElse(AccessTarget.fleet());
    }

    private static NotFoundException notFound(String id) {
        return new NotFoundException("Deployment '" + id + "' not found; GET /api/v1/deployments lists them.");
    }

    private void record(String actor, String remoteAddress, String action, String id, StoredDeployment before,
            StoredDeployment after) {
        audit.append(new AuditEvent(actor, remoteAddress, action, "deployment " + id, SpecJson.audit(before),
                SpecJson.audit(after)));
    }

    /**
     * Calls the added listeners and the registered ones. The registered ones are looked up at
     * each change instead of bound by a reference, because the control plane both uses this
     * service and listens to it, and a reference each way is a cycle that SCR reports.
     */
    /** Recompiles every node, because the signatures that desired states carry changed. */
    void signaturesChanged() {
        notifyListeners();
    }

    private void notifyListeners() {
        listeners.forEach(this::call);
        if (context == null) {
            return;
        }
        Collection<ServiceReference<DeploymentListener>> references;
        try {
            references = context.getServiceReferences(DeploymentListener.class, null);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("A null filter cannot be invalid", e);
        } catch (IllegalStateException e) {
            LOG.warn("Deployments: the bundle stopped, so no listener is called: {}", e.getMessage());
            return;
        }
        for (ServiceReference<DeploymentListener> reference : references) {
            DeploymentListener listener = context.getService(reference);
            if (listener != null) {
                try {
                    call(listener);
                } finally {
                    context.ungetService(reference);
                }
            }
        }
    }

    private void call(DeploymentListener listener) {
        try {
            listener.deploymentsChanged();
        } catch (RuntimeException e) {
            LOG.error("Deployments: listener {} failed", listener.getClass().getName(), e);
        }
    }
}
