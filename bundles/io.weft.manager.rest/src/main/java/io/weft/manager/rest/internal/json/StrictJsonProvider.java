package io.weft.manager.rest.internal.json;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;

import javax.ws.rs.BadRequestException;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.ext.MessageBodyReader;
import javax.ws.rs.ext.MessageBodyWriter;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsApplicationSelect;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsExtension;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsMediaType;
import org.osgi.service.jaxrs.whiteboard.propertytypes.JaxrsName;

import com.fasterxml.jackson.jaxrs.cfg.JaxRSFeature;
import com.fasterxml.jackson.jaxrs.json.JacksonJsonProvider;

import io.weft.manager.rest.api.WeftApi;

/**
 * Reads and writes the API's JSON with the {@linkplain JsonMappers#strict() strict mapper}.
 * An empty body is an error rather than a null entity.
 */
@Component(service = { MessageBodyReader.class, MessageBodyWriter.class })
@JaxrsExtension
@JaxrsName(StrictJsonProvider.NAME)
@JaxrsApplicationSelect(WeftApi.APPLICATION_SELECT)
@JaxrsMediaType(MediaType.APPLICATION_JSON)
public class StrictJsonProvider extends JacksonJsonProvider {

    public static final String NAME = "weft-json";

    public StrictJsonProvider() {
        super(JsonMappers.strict());
        disable(JaxRSFeature.ALLOW_EMPTY_INPUT);
        enable(JaxRSFeature.ADD_NO_SNIFF_HEADER);
    }

    /** Rejects a body that is the JSON literal null, which would reach a resource as no entity. */
    @Override
    public Object readFrom(Class<Object> type, Type genericType, Annotation[] annotations, MediaType mediaType,
            MultivaluedMap<String, String> httpHeaders, InputStream entityStream) throws IOException {
        Object entity = super.readFrom(type, genericType, annotations, mediaType, httpHeaders, entityStream);
        if (entity == null) {
            throw new BadRequestException("the request body is the JSON literal null; send a JSON object");
        }
        return entity;
    }
}
