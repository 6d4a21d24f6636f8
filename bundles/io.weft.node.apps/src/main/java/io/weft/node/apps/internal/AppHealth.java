package io.weft.node.apps.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Health of an app bundle: the bundle is ACTIVE, and every Declarative Services component that
 * it declares as enabled has a configuration that is satisfied or active.
 */
final class AppHealth {

    private static final long POLL_MILLIS = 100;

    private final ServiceComponentRuntime scr;

    AppHealth(ServiceComponentRuntime scr) {
        this.scr = scr;
    }

    /**
     * Waits until the bundle is healthy.
     *
     * @return empty when healthy within the timeout, otherwise the last problem seen
     */
    Optional<String> await(Bundle bundle, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Optional<String> problem = problem(bundle);
        while (problem.isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
            problem = problem(bundle);
        }
        return problem.map(text -> text + " after " + timeout.toSeconds() + " s");
    }

    /** Returns what is unhealthy now, empty when nothing is. */
    Optional<String> problem(Bundle bundle) {
        if (bundle.getState() != Bundle.ACTIVE) {
            return Optional.of("bundle " + bundle.getSymbolicName() + " is " + state(bundle.getState())
                    + ", not ACTIVE");
        }
        List<String> unsatisfied = new ArrayList<>();
        for (ComponentDescriptionDTO description : scr.getComponentDescriptionDTOs(bundle)) {
            if (!scr.isComponentEnabled(description)) {
                continue;
            }
            unsatisfied.addAll(problems(description, scr.getComponentConfigurationDTOs(description)));
        }
        return unsatisfied.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", unsatisfied));
    }

    private static List<String> problems(ComponentDescriptionDTO description,
            Collection<ComponentConfigurationDTO> configurations) {
        if (configurations.isEmpty()) {
            return List.of("component " + description.name + " has no configuration (configuration policy "
                    + description.configurationPolicy + ")");
        }
        List<String> problems = new ArrayList<>();
        for (ComponentConfigurationDTO configuration : configurations) {
            if (configuration.state == ComponentConfigurationDTO.SATISFIED
                    || configuration.state == ComponentConfigurationDTO.ACTIVE) {
                continue;
            }
            problems.add("component " + description.name + " is not satisfied" + reasons(configuration));
        }
        return problems;
    }

    private static String reasons(ComponentConfigurationDTO configuration) {
        if (configuration.failure != null) {
            return ": " + configuration.failure.lines().findFirst().orElse(configuration.failure);
        }
        if (configuration.unsatisfiedReferences != null && configuration.unsatisfiedReferences.length > 0) {
            return ": missing references " + Arrays.stream(configuration.unsatisfiedReferences)
                    .map(reference -> reference.target == null ? reference.name
                            : reference.name + " with target " + reference.target)
                    .toList();
        }
        return "";
    }

    static String state(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED";
            case Bundle.RESOLVED -> "RESOLVED";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> "in state " + state;
        };
    }
}
