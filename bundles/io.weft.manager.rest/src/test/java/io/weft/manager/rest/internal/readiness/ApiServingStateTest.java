package io.weft.manager.rest.internal.readiness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.jaxrs.runtime.dto.ApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.DTOConstants;
import org.osgi.service.jaxrs.runtime.dto.FailedApplicationDTO;
import org.osgi.service.jaxrs.runtime.dto.FailedResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.ResourceDTO;
import org.osgi.service.jaxrs.runtime.dto.RuntimeDTO;

class ApiServingStateTest {

    private static final Map<Long, String> EXPECTED = Map.of(41L, "DomainResource");

    @Test
    void allResourcesServedIsReady() {
        RuntimeDTO runtime = runtimeWithApplication(resource(41L));

        assertThat(ApiServingState.problems(runtime, EXPECTED)).isEmpty();
    }

    @Test
    void resourceNotYetServedIsProblem() {
        RuntimeDTO runtime = runtimeWithApplication();

        assertThat(ApiServingState.problems(runtime, EXPECTED))
                .containsExactly("REST resource DomainResource (service.id 41) is not served under /api/v1 yet");
    }

    @Test
    void failedResourceNamesReason() {
        RuntimeDTO runtime = runtimeWithApplication();
        FailedResourceDTO failed = new FailedResourceDTO();
        failed.serviceId = 41L;
        failed.failureReason = DTOConstants.FAILURE_REASON_SERVICE_NOT_GETTABLE;
        runtime.failedResourceDTOs = new FailedResourceDTO[] {failed};

        assertThat(ApiServingState.problems(runtime, EXPECTED)).containsExactly(
                "REST resource DomainResource (service.id 41) is not served under /api/v1 yet: "
                        + "the whiteboard could not get the service object");
    }

    @Test
    void missingApplicationIsProblem() {
        RuntimeDTO runtime = new RuntimeDTO();
        FailedApplicationDTO failed = new FailedApplicationDTO();
        failed.name = ".default";
        failed.failureReason = DTOConstants.FAILURE_REASON_REQUIRED_EXTENSIONS_UNAVAILABLE;
        runtime.failedApplicationDTOs = new FailedApplicationDTO[] {failed};

        List<String> problems = ApiServingState.problems(runtime, EXPECTED);

        assertThat(problems).containsExactly("the REST API application /api/v1 is not served by the JAX-RS "
                + "whiteboard yet: a required extension is not available");
    }

    @Test
    void applicationAmongOtherApplicationsIsFound() {
        RuntimeDTO runtime = new RuntimeDTO();
        ApplicationDTO other = new ApplicationDTO();
        other.name = "other";
        runtime.applicationDTOs = new ApplicationDTO[] {other, application(resource(41L))};

        assertThat(ApiServingState.problems(runtime, EXPECTED)).isEmpty();
    }

    private static RuntimeDTO runtimeWithApplication(ResourceDTO... resources) {
        RuntimeDTO runtime = new RuntimeDTO();
        runtime.defaultApplication = application(resources);
        return runtime;
    }

    private static ApplicationDTO application(ResourceDTO... resources) {
        ApplicationDTO application = new ApplicationDTO();
        application.name = ".default";
        application.resourceDTOs = resources;
        return application;
    }

    private static ResourceDTO resource(long serviceId) {
        ResourceDTO resource = new ResourceDTO();
        resource.serviceId = serviceId;
        return resource;
    }
}
