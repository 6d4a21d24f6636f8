package io.weft.manager.rest.internal;

import javax.ws.rs.core.Application;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.http.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.jaxrs.runtime.JaxrsServiceRuntime;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationBase;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtensionSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

import io.weft.manager.rest.api.WeftApi;
import io.weft.manager.rest.internal.body.RequestBodyLimit;
import io.weft.manager.rest.internal.errors.ErrorMapper;
import io.weft.manager.rest.internal.errors.WebApplicationErrorMapper;
import io.weft.manager.rest.internal.json.StrictJsonProvider;
import io.weft.manager.rest.internal.query.QueryParameterCheck;

/**
 * The JAX-RS whiteboard application of the REST API at {@value WeftApi#BASE_PATH}. Resources
 * join it with {@link io.weft.manager.rest.api.WeftApiResource}.
 *
 * <p>The application runs in the default HTTP whiteboard context, beside /health/ready.
 * Aries then registers its servlet for {@code /api/v1/*} there. In a context of its own, Jetty
 * would respond to {@code GET /api/v1} with a redirect to {@code /api/v1/}. Pax Web allows one
 * servlet per name in a context and Aries names every application servlet "cxf-servlet", so
 * the application takes the name of the whiteboard's default application and replaces it.
 *
 * <p>The whiteboard serves the application only while the strict JSON provider, the body
 * limit, the query parameter check and both error mappers are registered, so no request ever
 * gets CXF's own error pages or lenient JSON. It also requires the filter named {@value WeftApi#AUTHENTICATION_FILTER_NAME},
 * which the bundle io.weft.manager.api registers, so no request reaches a resource without
 * authentication. The reference to the JAX-RS service runtime puts a missing whiteboard into
 * the readiness report as an unsatisfied reference.
 */
@Component(service = Application.class,
        reference = @Reference(name = "jaxrsRuntime", service = JaxrsServiceRuntime.class))
@JaxrsName(WeftApi.APPLICATION_NAME)
@JaxrsApplicationBase(WeftApi.BASE_PATH)
@HttpWhiteboardContextSelect("(osgi.http.whiteboard.context.name=default)")
@JaxrsExtensionSelect({
        "(osgi.jaxrs.name=" + StrictJsonProvider.NAME + ")",
        "(osgi.jaxrs.name=" + RequestBodyLimit.NAME + ")",
        "(osgi.jaxrs.name=" + QueryParameterCheck.NAME + ")",
        "(osgi.jaxrs.name=" + ErrorMapper.NAME + ")",
        "(osgi.jaxrs.name=" + WebApplicationErrorMapper.NAME + ")",
        "(osgi.jaxrs.name=" + WeftApi.AUTHENTICATION_FILTER_NAME + ")" })
public class WeftApiApplication extends Application {
}
