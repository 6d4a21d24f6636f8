package io.weft.manager.rest.internal.readiness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.whiteboard.JaxrsWhiteboardConstants;
import org.osgi.util.tracker.ServiceTracker;

import io.weft.manager.rest.api.WeftApi;
import io.weft.runtime.ReadinessCheck;

/**
 * Keeps the manager from reporting ready until the JAX-RS whiteboard serves every registered
 * resource of the API. The whiteboard picks resources up after their components are active,
 * so component states alone would report ready while /api/v1 still returns 404.
 */
@Component(service = ReadinessCheck.class, immediate = true)
public class ApiReadinessCheck implements ReadinessCheck {

    static final String RESOURCE_FILTER = "(" + JaxrsWhiteboardConstants.JAX_RS_RESOURCE + "=true)";

    private final JaxrsServiceRuntime runtime;
    private final ServiceTracker<Object, Object> resources;

    @Activate
    public ApiReadinessCheck(BundleContext context, @Reference JaxrsServiceRuntime runtime)
            throws InvalidSyntaxException {
        this.runtime = runtime;
        this.resources = new ServiceTracker<>(context, context.createFilter(RESOURCE_FILTER), null);
        this.resources.open(true);
    }

    @Deactivate
    void deactivate() {
        resources.close();
    }

    @Override
    public List<String> problems() {
        return ApiServingState.problems(runtime.getRuntimeDTO(), expectedResources());
    }

    /** Returns service id → name of every resource that selects the API application. */
    private Map<Long, String> expectedResources() {
        Map<Long, String> expected = new LinkedHashMap<>();
        ServiceReference<Object>[] references = resources.getServiceReferences();
        if (references == null) {
            return expected;
        }

        for (ServiceReference<Object> reference : references) {
            Object select = reference.getProperty(JaxrsWhiteboardConstants.JAX_RS_APPLICATION_SELECT);
            if (WeftApi.APPLICATION_SELECT.equals(select)) {
                expected.put((Long) reference.getProperty(Constants.SERVICE_ID), nameOf(reference));
            }
        }
        return expected;
    }

    private static String nameOf(ServiceReference<Object> reference) {
        Object componentName = reference.getProperty("component.name");
        if (componentName != null) {
            return componentName.toString();
        }
        return String.join(",", (String[]) reference.getProperty(Constants.OBJECTCLASS));
    }
}
