package io.weft.manager.rest.internal.errors;

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

import io.weft.manager.rest.api.InvalidFieldException;
import io.weft.manager.rest.api.WeftApi;
import io.weft.manager.rest.internal.query.QueryParameterCheck;

/** Maps every exception that no closer mapper takes to the API's error body, through {@link ApiErrors}. */
@Component(service = ExceptionMapper.class)
@JaxrsExtension
@JaxrsName(ErrorMapper.NAME)
@JaxrsApplicationSelect(WeftApi.APPLICATION_SELECT)
public class ErrorMapper implements ExceptionMapper<Throwable> {

    public static final String NAME = "weft-errors";

    // Thread-local proxies that the JAX-RS runtime injects.
    @Context
    Request request;
    @Context
    UriInfo uriInfo;
    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(Throwable exception) {
        return ApiErrors.toResponse(queryEncodingError(exception), RequestLine.of(request, uriInfo, headers));
    }

    /**
     * Returns the error of an invalid escape in the query, such as {@code ?cursor=%%%}, for the
     * IllegalArgumentException that the JAX-RS runtime throws while it decodes the query, before
     * any filter or resource runs. Returns {@code exception} for every other failure.
     */
    private Throwable queryEncodingError(Throwable exception) {
        if (!(exception instanceof IllegalArgumentException) || exception instanceof InvalidFieldException
                || uriInfo == null) {
            return exception;
        }
        try {
            QueryParameterCheck.checkEncoding(uriInfo.getQueryParameters(false));
            return exception;
        } catch (InvalidFieldException invalid) {
            return invalid;
        }
    }
}
