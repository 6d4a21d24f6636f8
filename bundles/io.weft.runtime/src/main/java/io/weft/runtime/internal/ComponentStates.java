package io.weft.runtime.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.weft.runtime.ComponentState;

/**
 * Maps Declarative Services runtime DTOs to {@link ComponentState} values and decides which
 * states keep a process from being ready.
 */
final class ComponentStates {

    static final String ACTIVE = "active";
    static final String SATISFIED = "satisfied";
    static final String UNSATISFIED_REFERENCE = "unsatisfied reference";
    static final String UNSATISFIED_CONFIGURATION = "unsatisfied configuration";
    static final String FAILED_ACTIVATION = "failed activation";
    static final String WAITING_FOR_CONFIGURATION = "waiting for configuration";
    static final String DISABLED = "disabled";
    static final String NOT_PROCESSED = "not processed";

    private static final Set<String> BLOCKING = Set.of(
            UNSATISFIED_REFERENCE, UNSATISFIED_CONFIGURATION, FAILED_ACTIVATION, NOT_PROCESSED);

    private static final String CAUSED_BY = "Caused by: ";

    private ComponentStates() {
    }

    /**
     * Describes one component. A component that requires configuration and has none is
     * waiting, not broken: factory-style components such as one per connector start empty.
     */
    static List<ComponentState> describe(
            ComponentDescriptionDTO description,
            boolean enabled,
            ComponentConfigurationDTO[] configurations) {

        String bundle = description.bundle.symbolicName;
        if (!enabled) {
            return List.of(new ComponentState(bundle, description.name, DISABLED, ""));
        }

        if (configurations.length == 0) {
            if ("require".equals(description.configurationPolicy)) {
                return List.of(new ComponentState(
                        bundle, description.name, WAITING_FOR_CONFIGURATION, ""));
            }
            return List.of(new ComponentState(bundle, description.name, NOT_PROCESSED,
                    "Felix SCR has not yet processed this component"));
        }

        List<ComponentState> states = new ArrayList<>(configurations.length);
        for (ComponentConfigurationDTO configuration : configurations) {
            states.add(describe(bundle, description.name, configuration));
        }
        return states;
    }

    static boolean isBlocking(ComponentState state) {
        return BLOCKING.contains(state.state());
    }

    /** Formats a blocking state as one line of the report's problems. */
    static String problem(ComponentState state) {
        String line = "component " + state.component() + " of bundle " + state.bundle()
                + " is in state '" + state.state() + "'";
        if (state.detail().isEmpty()) {
            return line;
        }
        return line + ": " + state.detail();
    }

    private static ComponentState describe(
            String bundle, String component, ComponentConfigurationDTO configuration) {

        switch (configuration.state) {
            case ComponentConfigurationDTO.ACTIVE:
                return new ComponentState(bundle, component, ACTIVE, "");
            case ComponentConfigurationDTO.SATISFIED:
                return new ComponentState(bundle, component, SATISFIED, "");
            case ComponentConfigurationDTO.UNSATISFIED_REFERENCE:
                return new ComponentState(bundle, component, UNSATISFIED_REFERENCE,
                        missingReferences(configuration.unsatisfiedReferences));
            case ComponentConfigurationDTO.UNSATISFIED_CONFIGURATION:
                return new ComponentState(bundle, component, UNSATISFIED_CONFIGURATION,
                        "configuration PID " + Arrays.toString(configuration.description.configurationPid)
                                + " is missing");
            case ComponentConfigurationDTO.FAILED_ACTIVATION:
                return new ComponentState(bundle, component, FAILED_ACTIVATION,
                        rootCause(configuration.failure));
            default:
                return new ComponentState(bundle, component, NOT_PROCESSED,
                        "unknown Declarative Services state " + configuration.state);
        }
    }

    private static String missingReferences(UnsatisfiedReferenceDTO[] references) {
        if (references == null || references.length == 0) {
            return "";
        }
        return Arrays.stream(references)
                .map(ComponentStates::describeReference)
                .collect(Collectors.joining(", ", "waiting for ", ""));
    }

    private static String describeReference(UnsatisfiedReferenceDTO reference) {
        if (reference.target == null || reference.target.isEmpty()) {
            return reference.name;
        }
        return reference.name + " " + reference.target;
    }

    /**
     * Keeps the message of the root cause and drops the stack trace that SCR puts into the
     * failure text. The first line is often only a reflection wrapper, so the last
     * "Caused by:" line wins when there is one.
     */
    static String rootCause(String failure) {
        if (failure == null || failure.isBlank()) {
            return "the activate method threw an exception; see the log";
        }

        String cause = failure.lines().findFirst().orElse("").trim();
        for (String line : failure.lines().toList()) {
            String trimmed = line.trim();
            if (trimmed.startsWith(CAUSED_BY)) {
                cause = trimmed.substring(CAUSED_BY.length());
            }
        }
        return cause;
    }
}
