package io.weft.manager.apps.internal.resources;

import java.io.InputStream;
import java.net.URI;
import java.util.Objects;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import io.weft.manager.apps.internal.ApiCallers;
import io.weft.manager.apps.internal.AppDtos.AppDto;
import io.weft.manager.apps.internal.AppDtos.AppListDto;
import io.weft.manager.apps.internal.AppDtos.AppVersionDto;
import io.weft.manager.apps.internal.AppRepository;
import io.weft.manager.rest.api.WeftApiResource;

/**
 * {@code /api/v1/apps}: the app repository. An upload is the bundle's JAR file as the raw
 * request body; the response describes the stored, signed version.
 */
@Component(service = AppResource.class)
@WeftApiResource
@Path("apps")
@Produces(MediaType.APPLICATION_JSON)
public class AppResource {

    /** Media type of a JAR file. */
    public static final String JAVA_ARCHIVE = "application/java-archive";

    private final AppRepository repository;

    @Activate
    public AppResource(@Reference AppRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @POST
    @Consumes({ JAVA_ARCHIVE, MediaType.APPLICATION_OCTET_STREAM })
    public Response upload(@Context SecurityContext security, InputStream body) {
        AppVersionDto uploaded = repository.upload(ApiCallers.of(security), body);
        URI location = URI.create("apps/" + uploaded.name() + "/versions/" + uploaded.version());
        return Response.created(location).entity(uploaded).build();
    }

    @GET
    public AppListDto list(@Context SecurityContext security) {
        return new AppListDto(repository.list(ApiCallers.of(security)));
    }

    @GET
    @Path("{name}")
    public AppDto get(@Context SecurityContext security, @PathParam("name") String name) {
        return repository.app(ApiCallers.of(security), name);
    }

    @GET
    @Path("{name}/versions/{version}")
    public AppVersionDto getVersion(@Context SecurityContext security, @PathParam("name") String name,
            @PathParam("version") String version) {
        return repository.version(ApiCallers.of(security), name, version);
    }

    @DELETE
    @Path("{name}/versions/{version}")
    public Response deleteVersion(@Context SecurityContext security, @PathParam("name") String name,
            @PathParam("version") String version) {
        repository.delete(ApiCallers.of(security), name, version);
        return Response.noContent().build();
    }
}
