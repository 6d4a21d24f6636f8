package io.weft.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.dto.BundleDTO;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.component.runtime.dto.UnsatisfiedReferenceDTO;

import io.weft.runtime.ComponentState;

class ComponentStatesTest {

    @Test
    void activeAndSatisfiedAreNotBlocking() {
        ComponentDescriptionDTO description = description("optional");

        List<ComponentState> states = ComponentStates.describe(description, true,
                new ComponentConfigurationDTO[] {
                    configuration(description, ComponentConfigurationDTO.ACTIVE),
                    configuration(description, ComponentConfigurationDTO.SATISFIED)});

        assertThat(states).extracting(ComponentState::state)
                .containsExactly(ComponentStates.ACTIVE, ComponentStates.SATISFIED);
        assertThat(states).noneMatch(ComponentStates::isBlocking);
    }

    @Test
    void unsatisfiedReferenceNamesTheReferenceAndTarget() {
        ComponentDescriptionDTO description = description("optional");
        ComponentConfigurationDTO configuration =
                configuration(description, ComponentConfigurationDTO.UNSATISFIED_REFERENCE);
        UnsatisfiedReferenceDTO store = new UnsatisfiedReferenceDTO();
        store.name = "store";
        store.target = "(type=derby)";
        UnsatisfiedReferenceDTO clock = new UnsatisfiedReferenceDTO();
        clock.name = "clock";
        configuration.unsatisfiedReferences = new UnsatisfiedReferenceDTO[] {store, clock};

        ComponentState state = ComponentStates.describe(
                description, true, new ComponentConfigurationDTO[] {configuration}).get(0);

        assertThat(state.state()).isEqualTo(ComponentStates.UNSATISFIED_REFERENCE);
        assertThat(state.detail()).isEqualTo("waiting for store (type=derby), clock");
        assertThat(ComponentStates.isBlocking(state)).isTrue();
        assertThat(ComponentStates.problem(state)).isEqualTo(
                "component io.weft.example.Store of bundle io.weft.example is in state "
                        + "'unsatisfied reference': waiting for store (type=derby), clock");
    }

    @Test
    void failedActivationKeepsExceptionMessage() {
        ComponentDescriptionDTO description = description("optional");
        ComponentConfigurationDTO configuration =
                configuration(description, ComponentConfigurationDTO.FAILED_ACTIVATION);
        configuration.failure = "java.lang.IllegalStateException: port 0 is invalid\n\tat Example.activate(Example.java:10)";

        ComponentState state = ComponentStates.describe(
                description, true, new ComponentConfigurationDTO[] {configuration}).get(0);

        assertThat(state.state()).isEqualTo(ComponentStates.FAILED_ACTIVATION);
        assertThat(state.detail()).isEqualTo("java.lang.IllegalStateException: port 0 is invalid");
        assertThat(ComponentStates.isBlocking(state)).isTrue();
    }

    @Test
    void failedActivationPrefersRootCause() {
        String failure = "java.lang.reflect.InvocationTargetException\n\tat Example.activate(Example.java:10)\n"
                + "Caused by: java.io.UncheckedIOException: Failed to provision operator access in etc\n"
                + "\t... 48 more\n"
                + "Caused by: java.nio.file.NoSuchFileException: etc/users.properties\n\t... 48 more";

        assertThat(ComponentStates.rootCause(failure))
                .isEqualTo("java.nio.file.NoSuchFileException: etc/users.properties");
    }

    @Test
    void requiredConfigurationMissingIsWaitingNotBlocking() {
        ComponentState state = ComponentStates.describe(
                description("require"), true, new ComponentConfigurationDTO[0]).get(0);

        assertThat(state.state()).isEqualTo(ComponentStates.WAITING_FOR_CONFIGURATION);
        assertThat(ComponentStates.isBlocking(state)).isFalse();
    }

    @Test
    void componentWithoutConfigurationDtoIsBlocking() {
        ComponentState state = ComponentStates.describe(
                description("optional"), true, new ComponentConfigurationDTO[0]).get(0);

        assertThat(state.state()).isEqualTo(ComponentStates.NOT_PROCESSED);
        assertThat(ComponentStates.isBlocking(state)).isTrue();
    }

    @Test
    void disabledComponentIsNotBlocking() {
        ComponentState state = ComponentStates.describe(
                description("optional"), false, new ComponentConfigurationDTO[0]).get(0);

        assertThat(state.state()).isEqualTo(ComponentStates.DISABLED);
        assertThat(ComponentStates.isBlocking(state)).isFalse();
    }

    private static ComponentDescriptionDTO description(String configurationPolicy) {
        ComponentDescriptionDTO description = new ComponentDescriptionDTO();
        description.name = "io.weft.example.Store";
        description.bundle = new BundleDTO();
        description.bundle.symbolicName = "io.weft.example";
        description.configurationPolicy = configurationPolicy;
        description.configurationPid = new String[] {"io.weft.example.Store"};
        return description;
    }

    private static ComponentConfigurationDTO configuration(ComponentDescriptionDTO description, int state) {
        ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
        configuration.description = description;
        configuration.state = state;
        configuration.unsatisfiedReferences = new UnsatisfiedReferenceDTO[0];
        return configuration;
    }
}
