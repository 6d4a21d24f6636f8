package io.weft.runtime.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.util.tracker.ServiceTracker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.weft.runtime.ComponentState;
import io.weft.runtime.Readiness;
import io.weft.runtime.ReadinessCheck;
import io.weft.runtime.ReadinessReport;

/**
 * Evaluates readiness from the framework's bundles and Felix SCR's runtime DTOs.
 *
 * <p>Configured by PID {@value #PID}, which the weft-node and weft-manager features set.
 */
@Component(service = Readiness.class, immediate = true, configurationPid = ReadinessEvaluator.PID)
@Designate(ocd = ReadinessEvaluator.Config.class)
public class ReadinessEvaluator implements Readiness {

    static final String PID = "io.weft.runtime";
    static final String WEFT_BUNDLE_PREFIX = "io.weft.";
    static final Set<String> ROLES = Set.of("node", "manager");

    /**
     * Karaf's features service registers this service once the boot features are installed.
     * It is tracked by name so that this bundle does not import Karaf's features API.
     */
    static final String BOOT_FINISHED_FILTER =
            "(" + Constants.OBJECTCLASS + "=org.apache.karaf.features.BootFinished)";

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessEvaluator.class);

    @ObjectClassDefinition(
            name = "Weft runtime",
            description = "Identity of this Weft process, as the readiness endpoint and weft:version report it.")
    public @interface Config {

        @AttributeDefinition(
                name = "Role",
                description = "Which Weft distribution this process is: node or manager. "
                        + "The weft-node and weft-manager features set it.")
        String role() default "";
    }

    private final ServiceComponentRuntime scr;
    private final BundleContext context;
    private final BuildInfo build;
    private final ServiceTracker<Object, Object> bootFinished;
    private volatile String role;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<ReadinessCheck> checks = List.of();

    @Activate
    public ReadinessEvaluator(
            BundleContext context, @Reference ServiceComponentRuntime scr, Config config)
            throws InvalidSyntaxException {
        this.context = context;
        this.scr = scr;
        this.build = BuildInfo.of(FrameworkUtil.getBundle(ReadinessEvaluator.class));
        this.bootFinished = new ServiceTracker<>(
                context, context.createFilter(BOOT_FINISHED_FILTER), null);
        this.bootFinished.open(true);
        modified(config);
        LOG.info("Weft {} {} (commit {}) is starting", role, build.version(), build.commit());
    }

    @Modified
    void modified(Config config) {
        String previous = role;
        role = config.role();
        if (!ROLES.contains(role) && !role.equals(previous)) {
            LOG.error("Configuration {} sets role '{}'; set it to node or manager", PID, role);
        }
    }

    @Deactivate
    void deactivate() {
        bootFinished.close();
    }

    @Override
    public ReadinessReport evaluate() {
        String currentRole = role;
        List<String> problems = new ArrayList<>();
        if (!ROLES.contains(currentRole)) {
            problems.add("configuration " + PID + " sets role '" + currentRole
                    + "'; set it to node or manager");
        }
        if (bootFinished.isEmpty()) {
            problems.add("Karaf has not finished installing its boot features");
        }

        List<Bundle> bundles = weftBundles();
        bundles.stream().map(ReadinessEvaluator::bundleProblem).filter(p -> !p.isEmpty())
                .forEach(problems::add);

        List<ComponentState> components = components(bundles);
        components.stream().filter(ComponentStates::isBlocking).map(ComponentStates::problem)
                .forEach(problems::add);
        problems.addAll(checkProblems());

        return new ReadinessReport(currentRole, build.version(), build.commit(),
                problems.isEmpty(), components, problems);
    }

    /** Collects the problems of every registered check; a check that throws is a problem too. */
    private List<String> checkProblems() {
        List<String> problems = new ArrayList<>();
        for (ReadinessCheck check : checks) {
            try {
                problems.addAll(check.problems());
            } catch (RuntimeException e) {
                // The report carries the failure; readiness is polled often, so log below WARN.
                LOG.debug("Readiness check {} failed", check.getClass().getName(), e);
                problems.add("readiness check " + check.getClass().getName() + " failed: " + e);
            }
        }
        return problems;
    }

    private List<Bundle> weftBundles() {
        List<Bundle> bundles = new ArrayList<>();
        for (Bundle bundle : context.getBundles()) {
            String name = bundle.getSymbolicName();
            if (name != null && name.startsWith(WEFT_BUNDLE_PREFIX)) {
                bundles.add(bundle);
            }
        }
        return bundles;
    }

    /** Returns why the bundle blocks readiness, or an empty string when it does not. */
    static String bundleProblem(Bundle bundle) {
        boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
        int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
        if (bundle.getState() == expected) {
            return "";
        }
        return "bundle " + bundle.getSymbolicName() + " " + bundle.getVersion() + " is "
                + stateName(bundle.getState()) + ", expected " + stateName(expected)
                + "; run bundle:diag " + bundle.getBundleId() + " to see why";
    }

    private List<ComponentState> components(List<Bundle> bundles) {
        List<ComponentState> states = new ArrayList<>();
        if (bundles.isEmpty()) {
            // SCR returns every component of the framework when given no bundle.
            return states;
        }

        for (ComponentDescriptionDTO description
                : scr.getComponentDescriptionDTOs(bundles.toArray(Bundle[]::new))) {
            ComponentConfigurationDTO[] configurations = scr
                    .getComponentConfigurationDTOs(description)
                    .toArray(ComponentConfigurationDTO[]::new);
            states.addAll(ComponentStates.describe(
                    description, scr.isComponentEnabled(description), configurations));
        }
        return states;
    }

    static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED:
                return "UNINSTALLED";
            case Bundle.INSTALLED:
                return "INSTALLED";
            case Bundle.RESOLVED:
                return "RESOLVED";
            case Bundle.STARTING:
                return "STARTING";
            case Bundle.STOPPING:
                return "STOPPING";
            case Bundle.ACTIVE:
                return "ACTIVE";
            default:
                return "state " + state;
        }
    }
}
