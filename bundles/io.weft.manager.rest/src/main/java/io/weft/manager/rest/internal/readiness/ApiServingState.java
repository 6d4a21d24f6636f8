package io.weft.manager.rest.internal.readiness;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.DTOConstants;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;

import io.weft.manager.rest.api.WeftApi;

/**
 * Compares the JAX-RS whiteboard's runtime DTO with the resources registered for the API and
 * lists what is not served yet.
 */
final class ApiServingState {

    private ApiServingState() {
    }

    /**
     * Returns the readiness problems.
     *
     * @param runtime  the whiteboard's current runtime DTO
     * @param expected service id → name of every registered resource of the API
     */
    static List<String> problems(RuntimeDTO runtime, Map<Long, String> expected) {
        Optional<ApplicationDTO> application = application(runtime);
        if (application.isEmpty()) {
            return List.of("the REST API application " + WeftApi.BASE_PATH
                    + " is not served by the JAX-RS whiteboard yet" + applicationFailure(runtime));
        }

        Set<Long> served = stream(application.get().resourceDTOs)
                .map(resource -> resource.serviceId)
                .collect(Collectors.toSet());
        List<String> problems = new ArrayList<>();
        expected.forEach((serviceId, name) -> {
            if (!served.contains(serviceId)) {
                problems.add("REST resource " + name + " (service.id " + serviceId + ") is not served under "
                        + WeftApi.BASE_PATH + " yet" + resourceFailure(runtime, serviceId));
            }
        });
        return problems;
    }

    private static Optional<ApplicationDTO> application(RuntimeDTO runtime) {
        Stream<ApplicationDTO> applications = Stream.concat(
                Stream.ofNullable(runtime.defaultApplication),
                stream(runtime.applicationDTOs));
        return applications.filter(app -> WeftApi.APPLICATION_NAME.equals(app.name)).findFirst();
    }

    private static String applicationFailure(RuntimeDTO runtime) {
        return stream(runtime.failedApplicationDTOs)
                .filter(failed -> WeftApi.APPLICATION_NAME.equals(failed.name))
                .findFirst()
                .map(failed -> ": " + reason(failed.failureReason))
                .orElse("");
    }

    private static String resourceFailure(RuntimeDTO runtime, long serviceId) {
        return stream(runtime.failedResourceDTOs)
                .filter(failed -> failed.serviceId == serviceId)
                .findFirst()
                .map(failed -> ": " + reason(failed.failureReason))
                .orElse("");
    }

    /** Names the failure reasons that the JAX-RS Whiteboard specification defines. */
    static String reason(int failureReason) {
        switch (failureReason) {
            case DTOConstants.FAILURE_REASON_SHADOWED_BY_OTHER_SERVICE:
                return "another service with the same name shadows it";
            case DTOConstants.FAILURE_REASON_SERVICE_NOT_GETTABLE:
                return "the whiteboard could not get the service object";
            case DTOConstants.FAILURE_REASON_VALIDATION_FAILED:
                return "its registration properties are invalid";
            case DTOConstants.FAILURE_REASON_NOT_AN_EXTENSION_TYPE:
                return "it is registered as an extension but has no extension type";
            case DTOConstants.FAILURE_REASON_REQUIRED_EXTENSIONS_UNAVAILABLE:
                return "a required extension is not available";
            case DTOConstants.FAILURE_REASON_DUPLICATE_NAME:
                return "another service has the same name";
            case DTOConstants.FAILURE_REASON_REQUIRED_APPLICATION_UNAVAILABLE:
                return "its application is not available";
            default:
                return "failure reason " + failureReason;
        }
    }

    /** Streams a DTO array, which the whiteboard may leave null when it is empty. */
    private static <T> Stream<T> stream(T[] array) {
        return array == null ? Stream.empty() : Arrays.stream(array);
    }
}
