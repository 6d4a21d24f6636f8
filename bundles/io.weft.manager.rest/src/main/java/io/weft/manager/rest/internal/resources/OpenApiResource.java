package io.weft.manager.rest.internal.resources;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Component;

import io.weft.manager.rest.api.WeftApiResource;

/**
 * {@code GET /api/v1/openapi.json}: the OpenAPI 3.0 document of the API, kept by hand beside
 * this class. OpenApiDocumentTest fails when a resource method and the document disagree.
 */
@Component(service = OpenApiResource.class)
@WeftApiResource
@Path(OpenApiResource.PATH)
public class OpenApiResource {

    static final String PATH = "/openapi.json";
    static final String DOCUMENT = "openapi.json";

    private final byte[] document;

    public OpenApiResource() {
        this.document = readDocument();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public byte[] document() {
        return document;
    }

    static byte[] readDocument() {
        try (InputStream in = OpenApiResource.class.getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                throw new IllegalStateException("The bundle has no " + DOCUMENT + " beside "
                        + OpenApiResource.class.getName() + "; the build lost it");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to read " + DOCUMENT + " from the bundle", e);
        }
    }
}
