package io.weft.manager.rest.internal.errors;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Request;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import javax.ws.rs.ext.ExceptionMapper;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

import io.weft.manager.rest.api.WeftApi;

/**
 * Maps JAX-RS status exceptions, such as 404 and 405, through {@link ApiErrors}. A mapper for
 * {@code Throwable} alone is not enough: CXF ranks exception mappers by the distance to the
 * exception type before it prefers an application's mapper, so its built-in mapper for
 * {@link WebApplicationException} would respond to these with an empty body.
 */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName(WebApplicationErrorMapper.NAME)
@JaxrsApplicationSelect(WeftApi.APPLICATION_SELECT)
public class WebApplicationErrorMapper implements ExceptionMapper<WebApplicationException> {

    public static final String NAME = "weft-web-application-errors";

    // Thread-local proxies that the JAX-RS runtime injects.
    @Context
    Request request;
    @Context
    UriInfo uriInfo;
    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(WebApplicationException exception) {
        return ApiErrors.toResponse(exception, RequestLine.of(request, uriInfo, headers));
    }
}
