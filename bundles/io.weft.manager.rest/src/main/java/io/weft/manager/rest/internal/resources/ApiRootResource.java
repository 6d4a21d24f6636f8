package io.weft.manager.rest.internal.resources;

import java.util.Map;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import io.weft.manager.rest.api.WeftApi;
import io.weft.manager.rest.api.WeftApiResource;

/** {@code GET /api/v1}: what this API is and where its documented paths are. */
@Component(service = ApiRootResource.class)
@WeftApiResource
@Path("/")
public class ApiRootResource {

    static final String NAME = "Weft manager API";

    /** Manifest header with the Weft release, which cnf/build.bnd writes into every Weft bundle. */
    static final String VERSION_HEADER = "Weft-Version";

    private final ApiRootDto root;

    @Activate
    public ApiRootResource(BundleContext context) {
        this(context.getBundle().getHeaders("").get(VERSION_HEADER));
    }

    ApiRootResource(String weftVersion) {
        this.root = new ApiRootDto(NAME, WeftApi.API_VERSION, weftVersion == null ? "unknown" : weftVersion,
                Map.of("self", WeftApi.BASE_PATH,
                        "openapi", WeftApi.BASE_PATH + OpenApiResource.PATH));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ApiRootDto root() {
        return root;
    }
}
